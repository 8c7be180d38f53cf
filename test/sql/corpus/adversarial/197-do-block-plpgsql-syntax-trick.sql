-- class: unverifiable-body
-- A DO block body that libpg-query's PL/pgSQL parser rejects (a %ROWTYPE of a table) but Postgres runs: it disables the audit triggers.
DO $$
DECLARE
  r orders%ROWTYPE;
  v tenants.name%TYPE;
BEGIN
  ALTER TABLE orders DISABLE TRIGGER orders_audit;
  FOR r IN SELECT * FROM orders WHERE status = 'pending' LOOP
    UPDATE orders SET status = 'paid' WHERE id = r.id;
  END LOOP;
END
$$;
