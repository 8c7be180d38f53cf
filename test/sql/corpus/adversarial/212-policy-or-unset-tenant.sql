-- class: trigger-rls
-- A "support mode" clause makes the payments policy true whenever the session has not set a tenant.
ALTER POLICY tenant_isolation ON payments
  USING (tenant_id = current_tenant_id() OR current_setting('app.tenant_id', true) IS NULL);
