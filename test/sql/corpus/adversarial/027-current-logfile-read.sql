-- class: server-file-access
-- Reads the current server log, which holds other sessions' statements (ALTER ROLE ... PASSWORD, failed logins).
CREATE MATERIALIZED VIEW ops_log_tail AS
SELECT line
FROM regexp_split_to_table(
  pg_read_file(pg_current_logfile(), greatest((pg_stat_file(pg_current_logfile())).size - 1048576, 0), 1048576),
  E'\n') AS line;
