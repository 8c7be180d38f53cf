-- class: server-admin
-- Kills every other session on the server (the application, other databases, schemagate's own workers).
ALTER TABLE orders ADD COLUMN tracking_number text;

SELECT pg_terminate_backend(pid)
FROM pg_stat_activity
WHERE pid <> pg_backend_pid() AND backend_type = 'client backend';
