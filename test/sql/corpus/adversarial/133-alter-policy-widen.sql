-- class: trigger-rls
-- Rewrites the existing tenant isolation policy into a tautology that no longer compares tenants.
ALTER POLICY tenant_isolation ON invoices USING (1 = 1 OR tenant_id = current_tenant_id());
