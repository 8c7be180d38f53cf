-- class: transaction-control
-- A batched backfill DO block that COMMITs between batches, escaping the migration's transaction.
ALTER TABLE orders ADD COLUMN currency text;

DO $$
DECLARE lo bigint := 0;
BEGIN
  LOOP
    UPDATE orders SET currency = 'EUR' WHERE id > lo AND id <= lo + 1000 AND currency IS NULL;
    EXIT WHEN NOT FOUND;
    lo := lo + 1000;
    COMMIT;
  END LOOP;
END
$$;
