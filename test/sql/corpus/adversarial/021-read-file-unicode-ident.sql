-- class: server-file-access
-- Calls pg_read_file spelled with a Unicode-escaped identifier so the name never appears in the text.
ALTER TABLE report_templates ADD COLUMN body text;

UPDATE report_templates
SET body = U&"\0070g_read_file"(path)
WHERE id > 0;
