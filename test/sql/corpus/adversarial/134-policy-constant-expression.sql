-- class: trigger-rls
-- A "read-only reporting" policy whose USING expression does not look at the row at all.
CREATE POLICY payments_reporting ON payments FOR SELECT TO app_user
  USING (current_user IS NOT NULL);
CREATE POLICY invoices_reporting ON invoices FOR SELECT
  USING ('t'::boolean);
