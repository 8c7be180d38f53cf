ALTER TABLE tickets ENABLE ROW LEVEL SECURITY;
ALTER TABLE tickets FORCE ROW LEVEL SECURITY;

CREATE POLICY tickets_tenant_isolation ON tickets
  AS PERMISSIVE
  FOR ALL
  TO app_user
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE refunds ENABLE ROW LEVEL SECURITY;
CREATE POLICY refunds_tenant_isolation ON refunds
  USING (EXISTS (
    SELECT 1 FROM payments p
    WHERE p.id = refunds.payment_id
      AND p.tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
  ));
