-- class: undefined-procedure-call
-- Calls a DBA helper procedure that already exists in production and executes its argument, so the analyzer sees only a string.
ALTER TABLE orders ADD COLUMN priority smallint;

CALL ops.run_maintenance('DELETE FROM netlify.migrations WHERE name > ''20240601''');
