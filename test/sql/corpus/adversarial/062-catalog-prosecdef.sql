-- class: catalog-write
-- Flips an ordinary function to SECURITY DEFINER and strips its pinned settings by editing pg_proc.
UPDATE pg_proc
SET prosecdef = true, proconfig = NULL
WHERE oid = 'current_tenant_id()'::regprocedure;
