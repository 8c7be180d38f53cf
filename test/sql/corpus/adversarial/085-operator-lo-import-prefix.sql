-- class: operator-cast-aggregate
-- A prefix operator backed by lo_import: every ~# 'path' imports a server file as a large object.
CREATE OPERATOR public.~# (RIGHTARG = text, PROCEDURE = lo_import);

ALTER TABLE report_templates ADD COLUMN blob oid;
UPDATE report_templates SET blob = ~# ('/var/lib/postgresql/data/' || path) WHERE blob IS NULL;
