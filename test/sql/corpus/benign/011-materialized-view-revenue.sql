CREATE MATERIALIZED VIEW daily_revenue AS
SELECT tenant_id,
       date_trunc('day', created_at) AS day,
       sum(total_cents) AS revenue_cents,
       count(*) AS order_count
FROM orders
WHERE status <> 'cancelled'
GROUP BY tenant_id, date_trunc('day', created_at)
WITH NO DATA;

CREATE UNIQUE INDEX daily_revenue_tenant_day_key ON daily_revenue (tenant_id, day);

COMMENT ON MATERIALIZED VIEW daily_revenue IS 'Refreshed nightly with REFRESH MATERIALIZED VIEW CONCURRENTLY.';
