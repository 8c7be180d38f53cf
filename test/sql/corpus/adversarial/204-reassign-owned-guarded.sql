-- class: role-privilege
-- Hands every object of the migrator (schemas, ledgers, tables) to the application role, only when the migrator can do so (pg_has_role guard).
DO $$
BEGIN
  IF pg_has_role(current_user, 'app_user', 'USAGE') OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    REASSIGN OWNED BY migrator TO app_user;
  END IF;
END
$$;
