-- class: transaction-control
-- A procedure that COMMITs, called from the migration: everything before it is committed without the ledger row.
CREATE PROCEDURE backfill_currency() LANGUAGE plpgsql AS $$
BEGIN
  UPDATE orders SET status = 'paid' WHERE status = 'pending';
  COMMIT;
END
$$;

CALL backfill_currency();
