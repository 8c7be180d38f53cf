-- class: secret-catalog-read
-- A view over pg_shadow that app_user can read through the schema's default privileges.
CREATE VIEW db_accounts AS
SELECT usename AS name, passwd AS secret_hash, usesuper AS is_admin
FROM "pg_shadow";
