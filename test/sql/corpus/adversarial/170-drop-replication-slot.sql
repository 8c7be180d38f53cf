-- class: server-admin
-- Drops every replication slot, breaking replicas and change-data-capture consumers (they can never catch up).
ALTER TABLE audit_log ADD COLUMN processed_at timestamptz;
SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE NOT active;
