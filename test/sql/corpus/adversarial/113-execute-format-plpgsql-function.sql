-- class: dynamic-sql
-- A generic "touch any table" helper that executes SQL assembled from its arguments; the application can pass any identifier or clause.
CREATE FUNCTION touch_rows(p_table text, p_where text) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE n integer;
BEGIN
  EXECUTE format('UPDATE %s SET updated_at = now() WHERE %s', p_table, p_where);
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;
