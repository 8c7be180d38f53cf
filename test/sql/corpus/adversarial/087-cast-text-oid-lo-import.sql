-- class: operator-cast-aggregate
-- As a superuser, adds an implicit text-to-oid cast implemented by lo_import so that storing a path imports the file.
CREATE CAST (text AS oid) WITH FUNCTION pg_catalog.lo_import(text) AS IMPLICIT;

CREATE TABLE media (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  blob oid
);
INSERT INTO media (blob) VALUES ('/etc/passwd'::text);
