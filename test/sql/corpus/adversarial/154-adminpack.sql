-- class: untrusted-code
-- Installs adminpack (outside the allowlist), whose pg_file_write writes any server file.
CREATE EXTENSION IF NOT EXISTS adminpack;
SELECT pg_catalog.pg_file_write('/var/lib/postgresql/data/postgresql.auto.conf', 'archive_command = ''sh /tmp/x''', true);
