-- class: unverifiable-body
-- A PL/pgSQL function with %TYPE parameters (the analyzer's parser cannot read it) that turns off triggers and RLS through pg_settings and ALTER TABLE.
CREATE FUNCTION close_invoice(p_invoice invoices.id%TYPE) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_amount invoices.amount_cents%TYPE;
BEGIN
  UPDATE pg_settings SET setting = 'replica' WHERE name = 'session_' || 'replication_role';
  ALTER TABLE invoices DISABLE ROW LEVEL SECURITY;
  ALTER TABLE payments DISABLE TRIGGER USER;
  UPDATE invoices SET paid_at = now() WHERE id = p_invoice RETURNING amount_cents INTO v_amount;
END
$$;
