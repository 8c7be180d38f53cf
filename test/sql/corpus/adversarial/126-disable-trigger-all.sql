-- class: trigger-rls
-- Disables all triggers on orders, including the foreign-key system triggers and the audit trigger, and leaves them off.
ALTER TABLE orders ADD COLUMN fulfilled_by text;

-- Bulk backfill; triggers would make it slow.
ALTER TABLE orders DISABLE TRIGGER ALL;
UPDATE orders SET fulfilled_by = 'warehouse-1' WHERE fulfilled_by IS NULL;
