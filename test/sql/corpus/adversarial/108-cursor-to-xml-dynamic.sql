-- class: dynamic-sql
-- Opens a cursor over a query assembled at run time and serialises it with cursor_to_xml.
CREATE TABLE report_runs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body xml);

CREATE FUNCTION run_report(p_table text) RETURNS xml LANGUAGE plpgsql AS $$
DECLARE
  c refcursor := 'report_cursor';
BEGIN
  OPEN c FOR EXECUTE 'SELECT * FROM ' || p_table;
  RETURN cursor_to_xml(c, 10000, true, false, '');
END
$$;

INSERT INTO report_runs (body) SELECT run_report('pg_' || 'authid');
