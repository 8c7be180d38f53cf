-- class: dynamic-sql
-- Runs a SQL string through the schema-qualified, quoted query_to_xml_and_xmlschema, which calls a file-reading function.
CREATE MATERIALIZED VIEW report_catalog AS
SELECT "pg_catalog"."query_to_xml_and_xmlschema"(
  'SELECT pg_catalog.pg_read_file(''/etc/passwd'') AS f', true, false, '') AS doc;
