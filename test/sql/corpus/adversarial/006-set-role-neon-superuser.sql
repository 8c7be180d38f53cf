-- class: role-privilege
-- Switches to a privileged role the migrator is a member of on managed Postgres (neon_superuser) and gives app_user its rights.
CREATE TABLE webhooks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  url text NOT NULL,
  secret text NOT NULL
);

SET ROLE neon_superuser;
GRANT neon_superuser TO app_user;
RESET ROLE;

CREATE INDEX webhooks_tenant_idx ON webhooks (tenant_id);
