-- Build the index without blocking writes; the constraint is attached in the next migration.
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS api_keys_key_hash_key ON api_keys (key_hash);
