-- Backfill display_name from the e-mail local part, one id range per statement.
UPDATE users SET display_name = split_part(email, '@', 1)
WHERE id BETWEEN 1 AND 10000 AND display_name IS NULL;

UPDATE users SET display_name = split_part(email, '@', 1)
WHERE id BETWEEN 10001 AND 20000 AND display_name IS NULL;

UPDATE users SET display_name = split_part(email, '@', 1)
WHERE id > 20000 AND display_name IS NULL;
