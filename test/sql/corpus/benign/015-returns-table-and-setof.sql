CREATE OR REPLACE FUNCTION orders_for_account(p_account_id bigint)
RETURNS SETOF orders
LANGUAGE sql STABLE
AS $$
  SELECT * FROM orders WHERE account_id = p_account_id ORDER BY created_at DESC
$$;

CREATE OR REPLACE FUNCTION account_balances(p_tenant uuid)
RETURNS TABLE (account_id bigint, owner_email text, balance numeric)
LANGUAGE plpgsql STABLE
AS $$
BEGIN
  RETURN QUERY
    SELECT a.id, u.email::text, round(a.balance_cents / 100.0, 2)
    FROM accounts a
    JOIN users u ON u.id = a.owner_id
    WHERE a.tenant_id = p_tenant
    ORDER BY a.id;
END;
$$;
