-- class: trigger-rls
-- Switches the tenant-scoped view to run with its owner's rights, so RLS on orders no longer applies to readers of the view.
ALTER VIEW tenant_orders_v SET (security_invoker = false);
ALTER VIEW tenant_orders_v RESET (security_barrier);
