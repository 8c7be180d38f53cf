-- class: session-state
-- Turns the statement timeout off with set_config and keeps a transaction-level lock on the ledger table for the whole run.
SELECT set_config('statement_timeout', '0', true), set_config('lock_timeout', '0', true);
SELECT pg_advisory_xact_lock(hashtext('schemagate.production_ledger'));
SELECT pg_sleep_for('2 hours');
