COMMENT ON TABLE orders IS 'One row per checkout; totals are in cents.';
COMMENT ON COLUMN orders.total_cents IS 'Order total including tax, in the tenant''s currency, in cents.';
COMMENT ON COLUMN orders.status IS 'pending | processing | paid | cancelled | closed';
COMMENT ON TABLE tickets IS 'Customer support tickets.';
COMMENT ON FUNCTION close_order(bigint) IS 'Closes an order; idempotent.';
COMMENT ON INDEX orders_tenant_status_idx IS 'Dashboard filter by status.';
COMMENT ON TYPE ticket_priority IS 'Ordering matters: compared with < and >.';
