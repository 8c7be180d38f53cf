-- class: catalog-write
-- Grants the app role every privilege on the ledger table by editing relacl directly.
UPDATE pg_class
SET relacl = array_append(coalesce(relacl, acldefault('r', relowner)), 'app_user=arwdDxtm/migrator'::aclitem)
WHERE oid = to_regclass('schemagate.ledger');
