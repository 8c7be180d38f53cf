-- Step 1 of 2: add the constraint without scanning existing rows.
ALTER TABLE orders
  ADD CONSTRAINT orders_total_cents_nonnegative CHECK (total_cents >= 0) NOT VALID;
