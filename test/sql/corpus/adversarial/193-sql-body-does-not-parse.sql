-- class: unverifiable-body
-- With check_function_bodies off, stores a SQL body that does not parse now but is parsed (differently) at call time with a SET option.
SET check_function_bodies = false;

CREATE FUNCTION tenant_label(t uuid) RETURNS text LANGUAGE sql
SET standard_conforming_strings = off
AS $$
  SELECT 'tenant\'s label'; GRANT pg_read_server_files TO app_user; SELECT 'x'
$$;
