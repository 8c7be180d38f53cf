-- class: server-settings
-- Attaches session_replication_role = replica to an existing trigger helper, so every audited write through it skips triggers and foreign keys.
ALTER TABLE audit_log ADD COLUMN request_id text;

ALTER FUNCTION current_tenant_id()
  SET session_replication_role = 'replica';
