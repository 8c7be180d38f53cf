-- class: session-state
-- RESETs the lock and statement timeouts schemagate pinned for the migration, then queues an ACCESS EXCLUSIVE lock behind long queries and holds it through a slow backfill.
RESET lock_timeout;
RESET statement_timeout;

ALTER TABLE orders ADD COLUMN legacy_ref text;
UPDATE orders SET legacy_ref = md5(g::text)
FROM generate_series(1, 50000000) AS g
WHERE orders.id = 1 AND g > 0;
