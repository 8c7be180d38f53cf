-- class: undefined-procedure-call
-- Calls an unqualified procedure whose definition the reviewer never sees; in production it resolves to the DBA's EXECUTE helper.
SET LOCAL search_path = ops, public;
CALL run_maintenance('ALTER TABLE public.orders DISABLE TRIGGER ALL');
