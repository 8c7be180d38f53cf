-- class: ledger-tampering
-- Pre-records the steps of a future non-transactional migration as completed, so a retry skips its safety statements.
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_created_at_idx ON users (created_at);
INSERT INTO schemagate.ledger_steps (name, statement_index, sha256, completed_at)
SELECT '20991231235959_enforce_tenant_rls', i, repeat('0', 64), now() FROM generate_series(0, 9) AS i;
