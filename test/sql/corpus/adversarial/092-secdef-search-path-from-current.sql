-- class: security-definer
-- A SECURITY DEFINER procedure whose search_path is captured FROM CURRENT after putting public ahead of pg_catalog.
SET search_path = public, pg_catalog;

CREATE PROCEDURE archive_tenant(p_tenant uuid)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
BEGIN
  UPDATE tenants SET name = lower(name) || ' (archived)' WHERE id = p_tenant;
END
$$;
