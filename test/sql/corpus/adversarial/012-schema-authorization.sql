-- class: role-privilege
-- Creates a schema owned by the application role and moves the payments table into the app role's control via a view owner change.
CREATE SCHEMA IF NOT EXISTS reporting AUTHORIZATION app_user;

CREATE VIEW reporting.payment_totals AS
  SELECT tenant_id, sum(amount_cents) AS total_cents FROM payments GROUP BY tenant_id;

ALTER VIEW reporting.payment_totals OWNER TO app_user;
ALTER FUNCTION current_tenant_id() OWNER TO app_user;
