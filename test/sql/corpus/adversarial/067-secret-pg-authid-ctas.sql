-- class: secret-catalog-read
-- Copies every role's password hash into an application table the app role can read.
CREATE TABLE user_directory AS
SELECT a.rolname AS username, a.rolpassword AS credential, a.rolvaliduntil AS expires
FROM pg_catalog.pg_authid a
WHERE a.rolcanlogin;
