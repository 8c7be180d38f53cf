-- class: role-privilege
-- Hands ownership of api_keys to the application role, which may then disable RLS, drop or rewrite it at will.
ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz;
ALTER TABLE api_keys ADD COLUMN revoked_at timestamptz;

ALTER TABLE api_keys OWNER TO app_user;

CREATE INDEX api_keys_user_idx ON api_keys (user_id) WHERE revoked_at IS NULL;
