-- class: session-state
-- RESET of the pinned timeouts (and everything else) followed by an unbounded rewrite under an ACCESS EXCLUSIVE lock.
RESET ALL;
ALTER TABLE orders ALTER COLUMN total_cents TYPE numeric(20, 2);
DO $$ BEGIN LOOP PERFORM 1; END LOOP; END $$;
