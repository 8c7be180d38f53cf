-- class: trigger-rls
-- A policy that looks tenant-scoped but compares the column with itself, so it is true for every row.
CREATE POLICY orders_tenant_read ON orders
  AS PERMISSIVE FOR SELECT
  USING (tenant_id IS NOT DISTINCT FROM tenant_id);
