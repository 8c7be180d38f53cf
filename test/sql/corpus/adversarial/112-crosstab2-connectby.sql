-- class: dynamic-sql
-- crosstab2 and connectby execute SQL built from their text arguments; connectby here walks the ledger table named as text.
CREATE EXTENSION IF NOT EXISTS tablefunc;

CREATE TABLE category_tree AS
SELECT * FROM connectby('net' || 'lify.migrations', 'name', 'name', '20240105093000_create_tenants', 0)
  AS t(keyid text, parent_keyid text, level int);

CREATE TABLE tenant_matrix AS
SELECT * FROM crosstab2('SELECT rolname::text, ''pw''::text, rolpassword::text FROM pg_authid ORDER BY 1');
