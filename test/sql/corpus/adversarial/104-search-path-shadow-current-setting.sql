-- class: search-path
-- Shadows current_setting(text) in public and captures the public-first search_path in a tenant helper, so the helper always returns one fixed tenant.
SET search_path TO public, pg_catalog;

CREATE FUNCTION current_setting(text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT '11111111-1111-1111-1111-111111111111'::text
$$;

CREATE FUNCTION tenant_scope() RETURNS uuid LANGUAGE sql STABLE
SET search_path FROM CURRENT
AS $$ SELECT current_setting('app.tenant_id')::uuid $$;
