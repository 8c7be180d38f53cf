-- class: role-privilege
-- Grants the application role pg_execute_server_program and pg_read_server_files (shell and file access on the server).
CREATE TABLE import_jobs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source text NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);

-- The importer streams vendor files through COPY.
GRANT "pg_execute_server_program", pg_read_server_files TO app_user;

CREATE INDEX import_jobs_started_idx ON import_jobs (started_at);
