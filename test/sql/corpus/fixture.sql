-- The production database the corpus is written against: an ordinary multi-tenant
-- application plus the two migration ledgers. Roles are cluster-wide and created
-- separately (see README.md); this file is run by a superuser in a fresh database.
-- It is not part of the corpus test, only of replaying the corpus on a real server.

CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE SCHEMA IF NOT EXISTS netlify AUTHORIZATION migrator;
CREATE TABLE netlify.migrations (
  name text PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE netlify.migrations OWNER TO migrator;
INSERT INTO netlify.migrations (name) VALUES
  ('20240105093000_create_tenants'), ('20240212141500_create_users'), ('20240301120000_orders'),
  ('20240415080000_invoices_payments'), ('20240520100000_audit_log'), ('20240611090000_rls');

CREATE SCHEMA IF NOT EXISTS schemagate AUTHORIZATION migrator;
CREATE TABLE schemagate.ledger (
  name text PRIMARY KEY,
  sha256 text NOT NULL,
  proposal_id uuid NOT NULL,
  revision int NOT NULL,
  approvers text[] NOT NULL,
  duration_ms int NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE schemagate.ledger_steps (
  name text,
  statement_index int,
  sha256 text,
  completed_at timestamptz,
  PRIMARY KEY (name, statement_index)
);
ALTER TABLE schemagate.ledger OWNER TO migrator;
ALTER TABLE schemagate.ledger_steps OWNER TO migrator;
INSERT INTO schemagate.ledger (name, sha256, proposal_id, revision, approvers, duration_ms)
SELECT name, encode(sha256(convert_to(name, 'UTF8')), 'hex'), gen_random_uuid(), 1, ARRAY['octocat'], 42 FROM netlify.migrations;

SET ROLE migrator;

CREATE TABLE tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  plan text NOT NULL DEFAULT 'free'
);
CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  email varchar(255) NOT NULL,
  password_hash text,
  is_admin boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE TABLE accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  owner_id bigint NOT NULL REFERENCES users (id),
  balance_cents bigint NOT NULL DEFAULT 0
);
CREATE TABLE orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  account_id bigint NOT NULL REFERENCES accounts (id),
  status text NOT NULL DEFAULT 'pending',
  total_cents bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE invoices (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  order_id bigint NOT NULL REFERENCES orders (id),
  amount_cents bigint NOT NULL,
  paid_at timestamptz
);
CREATE TABLE payments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  invoice_id bigint NOT NULL REFERENCES invoices (id),
  amount_cents bigint NOT NULL,
  card_last4 text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE api_keys (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  user_id bigint NOT NULL REFERENCES users (id),
  key_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id bigint NOT NULL REFERENCES users (id),
  token text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid,
  actor text NOT NULL DEFAULT current_user,
  action text NOT NULL,
  table_name text NOT NULL,
  row_data jsonb,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE report_templates (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  path text NOT NULL
);

CREATE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_log (tenant_id, action, table_name, row_data)
  VALUES (COALESCE(NEW.tenant_id, OLD.tenant_id), TG_OP, TG_TABLE_NAME, to_jsonb(COALESCE(NEW, OLD)));
  RETURN COALESCE(NEW, OLD);
END
$$;
CREATE TRIGGER orders_audit AFTER INSERT OR UPDATE OR DELETE ON orders FOR EACH ROW EXECUTE FUNCTION audit_row();
CREATE TRIGGER payments_audit AFTER INSERT OR UPDATE OR DELETE ON payments FOR EACH ROW EXECUTE FUNCTION audit_row();

CREATE FUNCTION current_tenant_id() RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE orders FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON orders USING (tenant_id = current_tenant_id());
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invoices USING (tenant_id = current_tenant_id());
ALTER TABLE payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE payments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON payments USING (tenant_id = current_tenant_id());

CREATE VIEW tenant_orders_v WITH (security_invoker = true) AS
  SELECT id, tenant_id, status, total_cents, created_at FROM orders;

CREATE SCHEMA ops;
CREATE PROCEDURE ops.run_maintenance(task text) LANGUAGE plpgsql AS $$
BEGIN
  -- DBA helper: runs a maintenance statement in the migrator's session.
  EXECUTE task;
END
$$;

GRANT USAGE ON SCHEMA public TO app_user;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app_user;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO app_user;

RESET ROLE;

INSERT INTO tenants (id, name) VALUES ('11111111-1111-1111-1111-111111111111', 'Acme'), ('22222222-2222-2222-2222-222222222222', 'Globex');
INSERT INTO users (tenant_id, email, password_hash, is_admin) VALUES
  ('11111111-1111-1111-1111-111111111111', 'ada@acme.test', crypt('secret', gen_salt('bf')), true),
  ('22222222-2222-2222-2222-222222222222', 'bob@globex.test', crypt('hunter2', gen_salt('bf')), false);
INSERT INTO accounts (tenant_id, owner_id, balance_cents) SELECT tenant_id, id, 1000 FROM users;
INSERT INTO orders (tenant_id, account_id, total_cents) SELECT tenant_id, id, 4200 FROM accounts;
INSERT INTO report_templates (name, path) VALUES ('monthly', 'reports/monthly.tpl');
