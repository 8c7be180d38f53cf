CREATE OR REPLACE FUNCTION close_order(p_order_id bigint) RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
  v_status orders.status%TYPE;
  v_total  orders.total_cents%TYPE;
  v_order  orders%ROWTYPE;
BEGIN
  SELECT * INTO v_order FROM orders WHERE id = p_order_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'order % not found', p_order_id USING ERRCODE = 'no_data_found';
  END IF;

  v_status := v_order.status;
  v_total := v_order.total_cents;

  IF v_status = 'closed' THEN
    RAISE NOTICE 'order % already closed', p_order_id;
    RETURN v_status;
  ELSIF v_total < 0 THEN
    RAISE WARNING 'order % has a negative total (%)', p_order_id, v_total;
  END IF;

  UPDATE orders SET status = 'closed' WHERE id = p_order_id;
  RETURN 'closed';
END;
$$;
