-- class: role-privilege
-- Creates a role that is automatically a member of pg_read_server_files and that app_user is admin of.
CREATE TABLE exports (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  requested_at timestamptz NOT NULL DEFAULT now(),
  file_name text
);

CREATE ROLE exporter NOLOGIN IN ROLE pg_read_server_files ADMIN app_user;
