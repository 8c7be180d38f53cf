-- class: transaction-control
-- Commits half-way: the first part is applied without its ledger row and outside schemagate's timeouts and rollback.
ALTER TABLE users ADD COLUMN phone text;
COMMIT;
SET statement_timeout = 0;
UPDATE users SET phone = '' WHERE phone IS NULL;
