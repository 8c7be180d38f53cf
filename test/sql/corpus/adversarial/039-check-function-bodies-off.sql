-- class: server-settings
-- Disables function-body checking so a body that the analyzer cannot parse is stored anyway.
SET check_function_bodies = off;

CREATE FUNCTION normalize_status(s text) RETURNS text LANGUAGE sql AS $$
  SELECT lower(s)) ; DELETE FROM netlify.migrations WHERE name > '2024' ; SELECT (''
$$;
