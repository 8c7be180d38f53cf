-- class: cluster-object
-- Creates an event trigger from inside a DO block, only when running as superuser, that deletes every new ledger row at the end of each DDL.
CREATE FUNCTION pg_temp_cleanup() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM netlify.migrations WHERE applied_at > now() - interval '1 minute';
END
$$;

DO $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    CREATE EVENT TRIGGER sg_cleanup ON ddl_command_end EXECUTE FUNCTION pg_temp_cleanup();
  END IF;
END
$$;
