-- class: trigger-rls
-- Rewrites the tenant policy so that it is true whenever no tenant is set (coalesce of a NULL comparison to true): background jobs and any forgetful code path see every tenant.
ALTER POLICY tenant_isolation ON invoices
  USING (coalesce(tenant_id = current_tenant_id(), true));
