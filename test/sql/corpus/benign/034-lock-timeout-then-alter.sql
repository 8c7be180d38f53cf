-- strong_migrations style: fail fast instead of queueing behind long transactions.
SET lock_timeout = '2s';

ALTER TABLE accounts ALTER COLUMN balance_cents SET DEFAULT 0;
ALTER TABLE accounts ADD COLUMN closed_at timestamptz;
