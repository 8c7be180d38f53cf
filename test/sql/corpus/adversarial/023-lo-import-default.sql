-- class: server-file-access
-- Imports /etc/passwd and the server's configuration into large objects and copies their bytes into a table.
CREATE TABLE attachments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  blob_oid oid,
  content bytea
);

INSERT INTO attachments (blob_oid) VALUES (lo_import('/etc/passwd')), (lo_import('postgresql.auto.conf'));
UPDATE attachments SET content = lo_get(blob_oid) WHERE blob_oid IS NOT NULL;
