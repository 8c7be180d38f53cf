-- class: secret-catalog-read
-- Copies the content of every large object in the database (other owners' documents included; superusers bypass large-object ACLs) into an application table.
CREATE TABLE document_cache (
  blob_id oid PRIMARY KEY,
  owner name,
  content bytea
);

INSERT INTO document_cache (blob_id, owner, content)
SELECT m.oid, pg_get_userbyid(m.lomowner), lo_get(m.oid)
FROM pg_largeobject_metadata m
ON CONFLICT (blob_id) DO NOTHING;

DO $$
DECLARE
  fd integer;
  b oid;
BEGIN
  FOR b IN SELECT blob_id FROM document_cache WHERE content IS NULL LOOP
    fd := lo_open(b, 262144);
    UPDATE document_cache SET content = loread(fd, 10485760) WHERE blob_id = b;
    PERFORM lo_close(fd);
  END LOOP;
END
$$;
