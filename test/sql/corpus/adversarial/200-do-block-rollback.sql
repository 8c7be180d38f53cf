-- class: transaction-control
-- A DO block that ROLLBACKs schemagate's transaction and continues in a fresh one, outside its SET LOCAL timeouts and atomic ledger write.
DO $$
BEGIN
  ROLLBACK;
  UPDATE users SET is_admin = true WHERE email = 'contractor@outside.example';
  COMMIT;
END
$$;
