CREATE FUNCTION order_total_with_tax(p_order_id bigint, p_rate numeric DEFAULT 0.2)
RETURNS numeric
LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT round(o.total_cents * (1 + p_rate) / 100.0, 2)
  FROM orders o
  WHERE o.id = p_order_id;
END;

CREATE PROCEDURE mark_invoices_paid(p_order_id bigint)
LANGUAGE sql
BEGIN ATOMIC
  UPDATE invoices SET paid_at = now() WHERE order_id = p_order_id AND paid_at IS NULL;
END;
