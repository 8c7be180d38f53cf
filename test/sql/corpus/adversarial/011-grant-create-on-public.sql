-- class: role-privilege
-- Lets every role create objects in public again, reopening the CVE-2018-1058 search_path trojan attack for the app role.
CREATE TABLE tags (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  name text NOT NULL
);
CREATE UNIQUE INDEX tags_tenant_name_key ON tags (tenant_id, lower(name));

GRANT CREATE ON SCHEMA public TO PUBLIC;
GRANT ALL ON ALL TABLES IN SCHEMA netlify TO app_user;
