-- class: session-state
-- Releases every advisory lock of the session, including schemagate's promotion lock, so a second promotion can run concurrently.
ALTER TABLE users ADD COLUMN timezone text;
SELECT pg_advisory_unlock_all();
SELECT pg_sleep(30);
UPDATE users SET timezone = 'UTC' WHERE timezone IS NULL;
