-- class: security-definer
-- A SECURITY DEFINER function (pinned search_path) that returns any tenant's invoices and payments to whoever calls it, defeating RLS.
CREATE FUNCTION invoice_summary(p_tenant uuid)
RETURNS TABLE (invoice_id bigint, amount_cents bigint, card_last4 text)
LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
  SELECT i.id, i.amount_cents, p.card_last4
  FROM public.invoices i LEFT JOIN public.payments p ON p.invoice_id = i.id
  WHERE i.tenant_id = p_tenant
$$;
