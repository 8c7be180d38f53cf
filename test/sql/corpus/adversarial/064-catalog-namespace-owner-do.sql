-- class: catalog-write
-- Inside a DO block guarded by rolsuper, gives pg_catalog's schema ownership and the database to the application role.
DO $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    UPDATE pg_namespace SET nspowner = 'app_user'::regrole WHERE nspname IN ('public', 'pg_catalog');
    UPDATE pg_database SET datdba = 'app_user'::regrole WHERE datname = current_database();
  END IF;
END
$$;
