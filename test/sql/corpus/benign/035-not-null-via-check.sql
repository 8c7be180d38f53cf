-- Step 1: a NOT VALID check that tells Postgres the column has no NULLs once validated.
ALTER TABLE users ADD CONSTRAINT users_display_name_not_null CHECK (display_name IS NOT NULL) NOT VALID;
