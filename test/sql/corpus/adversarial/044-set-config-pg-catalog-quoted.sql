-- class: server-settings
-- Calls set_config with a quoted, Unicode-escaped function name to switch triggers off before deleting audit rows.
SELECT U&"\0073et_config"('session_replication_role', 'replica', true);
DELETE FROM audit_log WHERE tenant_id = '11111111-1111-1111-1111-111111111111';
