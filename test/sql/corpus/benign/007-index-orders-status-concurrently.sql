CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_tenant_status_idx ON orders (tenant_id, status);
