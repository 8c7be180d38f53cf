-- class: role-privilege
-- Makes the application role a member of the migrator role (owner of every schema and both ledgers) with the old ALTER GROUP spelling.
ALTER TABLE orders ADD COLUMN external_ref text;
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_external_ref_idx ON orders (external_ref);
ALTER GROUP migrator ADD USER app_user;
