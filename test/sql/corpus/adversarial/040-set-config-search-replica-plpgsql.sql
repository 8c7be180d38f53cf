-- class: server-settings
-- A PL/pgSQL body that reads the setting name from a table row, so no constant name is visible.
CREATE TABLE app_settings (name text PRIMARY KEY, value text NOT NULL);
INSERT INTO app_settings VALUES ('session_replication_role', 'replica');

DO $$
DECLARE s record;
BEGIN
  FOR s IN SELECT name, value FROM app_settings LOOP
    PERFORM set_config(s.name, s.value, false);
  END LOOP;
  DELETE FROM audit_log WHERE action = 'DELETE';
END
$$;
