-- class: trigger-rls
-- Adds a permissive policy that lets every role read and write every tenant's orders.
CREATE POLICY orders_support_access ON orders
  AS PERMISSIVE
  FOR ALL
  TO PUBLIC
  USING (true)
  WITH CHECK (true);
