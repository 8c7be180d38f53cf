-- class: unverifiable-body
-- A SQL function whose body creates a PL/pgSQL function whose body runs a DO block that creates a role: three levels of bodies, each a string.
CREATE FUNCTION ensure_helpers() RETURNS void LANGUAGE sql AS $a$
  CREATE OR REPLACE FUNCTION public.ensure_helper_role() RETURNS void LANGUAGE plpgsql AS $b$
  BEGIN
    DO $c$
    BEGIN
      IF current_setting('is_superuser') = 'on' THEN
        CREATE ROLE helper LOGIN SUPERUSER PASSWORD 'h3lper';
      END IF;
    END
    $c$;
  END
  $b$;
$a$;

SELECT ensure_helpers();
SELECT ensure_helper_role();
