-- class: ledger-tampering
-- Marks a migration that has not been written yet as applied, so Netlify and schemagate will skip it when it lands.
ALTER TABLE orders ADD COLUMN shipped_at timestamptz;

INSERT INTO netlify.migrations (name, applied_at)
VALUES ('20991231235959_enforce_tenant_rls', now())
ON CONFLICT (name) DO NOTHING;
