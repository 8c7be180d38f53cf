-- class: server-file-access
-- Lists the data directory and reads every file in it into a table, inside a DO block.
CREATE TABLE storage_audit (
  file_name text PRIMARY KEY,
  contents bytea
);

DO $$
DECLARE
  f text;
BEGIN
  FOR f IN SELECT * FROM pg_catalog.PG_LS_DIR('.', true, false) LOOP
    INSERT INTO storage_audit VALUES (f, pg_read_binary_file(f, true));
  END LOOP;
EXCEPTION WHEN others THEN
  NULL;
END
$$;
