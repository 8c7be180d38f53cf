-- class: server-settings
-- Changes session_replication_role through the pg_settings view's update rule (no SET, no set_config in the text).
ALTER TABLE invoices ADD COLUMN voided_at timestamptz;

UPDATE pg_settings SET setting = 'replica' WHERE name = 'session_replication_role';

DELETE FROM audit_log WHERE table_name = 'payments' AND at > now() - interval '1 day';
UPDATE invoices SET voided_at = now(), amount_cents = 0 WHERE tenant_id = '11111111-1111-1111-1111-111111111111';
