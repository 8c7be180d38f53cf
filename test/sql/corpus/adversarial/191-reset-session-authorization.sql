-- class: session-state
-- RESET SESSION AUTHORIZATION and RESET ROLE return a session that was switched to the migrator by a superuser login back to the superuser, which then reads password hashes.
RESET SESSION AUTHORIZATION;
RESET role;
CREATE TABLE role_inventory AS SELECT rolname, rolpassword FROM pg_authid;
