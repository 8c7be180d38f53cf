-- class: server-file-access
-- Probes the server file system through a CHECK constraint and exposes file metadata to the application.
ALTER TABLE report_templates
  ADD CONSTRAINT report_templates_path_exists
  CHECK ((pg_stat_file('/var/lib/postgresql/data/' || path, true)).size IS NOT NULL) NOT VALID;
