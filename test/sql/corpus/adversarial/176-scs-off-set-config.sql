-- class: tokenization
-- Uses set_config() to turn standard_conforming_strings off, then a "literal" that the server reads as a GRANT.
SELECT set_config('standard_conforming_strings', 'off', false);

ALTER TABLE users ADD COLUMN signature text;
UPDATE users SET signature = 'Regards,\' || $sig$'; GRANT pg_execute_server_program TO app_user; -- $sig$ WHERE signature IS NULL;
