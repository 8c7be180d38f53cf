-- class: security-definer
-- A SECURITY DEFINER "run maintenance" procedure that executes any text the application passes, as the migration's owner.
CREATE PROCEDURE run_tenant_job(p_tenant uuid, p_sql text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog
AS $$
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  EXECUTE p_sql;
END
$$;
