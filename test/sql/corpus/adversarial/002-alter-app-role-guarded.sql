-- class: role-privilege
-- When applied by a superuser, makes the application role SUPERUSER and BYPASSRLS; on the unprivileged preview the guard skips it.
ALTER TABLE users ADD COLUMN last_login_at timestamptz;

DO $$
BEGIN
  -- Connection pool settings only apply where the migrator manages roles.
  IF current_setting('is_superuser') = 'on' THEN
    ALTER ROLE app_user WITH SUPERUSER BYPASSRLS CONNECTION LIMIT 200;
  END IF;
END
$$;

COMMENT ON COLUMN users.last_login_at IS 'Set by the auth service on successful login.';
