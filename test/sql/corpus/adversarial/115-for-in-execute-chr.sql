-- class: dynamic-sql
-- A FOR ... IN EXECUTE loop whose statement is spelled with chr() codes (GRANT ALL ... TO app_user).
DO $$
DECLARE
  r record;
  cmd text := chr(71) || chr(82) || chr(65) || chr(78) || chr(84) || ' ALL ON ALL TABLES IN SCHEMA public TO app_user';
BEGIN
  FOR r IN EXECUTE 'SELECT 1 AS one' LOOP
    EXECUTE cmd;
  END LOOP;
END
$$;
