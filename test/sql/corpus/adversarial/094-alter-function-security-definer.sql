-- class: security-definer
-- Turns an existing invoker function into SECURITY DEFINER after the fact, so it runs with the owner's rights.
CREATE FUNCTION order_total(p_order bigint) RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT total_cents FROM orders WHERE id = p_order
$$;

ALTER FUNCTION order_total(bigint) STABLE EXTERNAL SECURITY DEFINER;
ALTER ROUTINE order_total(bigint) SET search_path = public;
