-- class: search-path
-- Re-pins the existing SECURITY DEFINER tenant helper to a search_path where public comes before pg_catalog.
ALTER FUNCTION current_tenant_id() SET search_path = public, pg_catalog, pg_temp;

CREATE FUNCTION public.nullif(text, text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT '11111111-1111-1111-1111-111111111111'
$$;
