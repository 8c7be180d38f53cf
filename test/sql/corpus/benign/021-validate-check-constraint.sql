-- Step 2 of 2: validate under SHARE UPDATE EXCLUSIVE (reads and writes continue).
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_cents_nonnegative;
