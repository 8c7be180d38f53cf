-- Promote the concurrently built index to a constraint (instant: no index build).
ALTER TABLE api_keys ADD CONSTRAINT api_keys_key_hash_unique UNIQUE USING INDEX api_keys_key_hash_key;
