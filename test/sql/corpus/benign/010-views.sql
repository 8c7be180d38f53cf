CREATE VIEW open_orders WITH (security_invoker = true) AS
SELECT o.id, o.tenant_id, o.account_id, o.status, o.total_cents, o.created_at
FROM orders o
WHERE o.status IN ('pending', 'processing');

CREATE OR REPLACE VIEW tenant_user_counts AS
SELECT t.id AS tenant_id, t.name, count(u.id) AS user_count
FROM tenants t
LEFT JOIN users u ON u.tenant_id = t.id
GROUP BY t.id, t.name;
