-- class: session-state
-- Disables schemagate's lock and statement timeouts, then holds an ACCESS EXCLUSIVE lock on users for an hour (production outage).
SET LOCAL lock_timeout = 0;
SET LOCAL statement_timeout = 0;
LOCK TABLE users IN ACCESS EXCLUSIVE MODE;
SELECT pg_sleep(3600);
