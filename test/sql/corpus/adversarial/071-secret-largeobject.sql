-- class: secret-catalog-read
-- Dumps the raw pages of every large object in the database, whatever their owner and ACL.
CREATE TABLE blob_backup AS
SELECT loid, pageno, data FROM pg_catalog.pg_largeobject ORDER BY loid, pageno;
