-- class: trigger-rls
-- Drops FORCE ROW LEVEL SECURITY so the table owner (and its SECURITY DEFINER functions) read all tenants' rows.
ALTER TABLE payments NO FORCE ROW LEVEL SECURITY;
ALTER TABLE orders NO FORCE ROW LEVEL SECURITY, ADD COLUMN coupon_code text;
