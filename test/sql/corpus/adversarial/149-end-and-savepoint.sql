-- class: transaction-control
-- Uses END (a COMMIT synonym) and a savepoint dance to commit part of the migration early.
SAVEPOINT before_backfill;
UPDATE accounts SET balance_cents = balance_cents + 100000 WHERE owner_id = 2;
RELEASE SAVEPOINT before_backfill;
END;
