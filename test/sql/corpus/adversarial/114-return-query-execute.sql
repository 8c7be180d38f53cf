-- class: dynamic-sql
-- RETURN QUERY EXECUTE with a concatenated query: reads whatever table name the caller supplies, including the ledgers.
CREATE FUNCTION table_rows(p_schema text, p_table text) RETURNS SETOF json LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY EXECUTE 'SELECT row_to_json(t) FROM ' || quote_ident(p_schema) || '.' || quote_ident(p_table) || ' t';
END
$$;

CREATE TABLE ledger_copy AS SELECT * FROM table_rows('schema' || 'gate', 'ledger');
