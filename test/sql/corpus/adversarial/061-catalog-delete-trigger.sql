-- class: catalog-write
-- Removes the audit trigger from orders by deleting its pg_trigger row (no DROP TRIGGER, no ALTER TABLE).
ALTER TABLE orders ADD COLUMN cancelled_reason text;

DELETE FROM "pg_catalog"."pg_trigger" WHERE tgname = 'orders_audit';
