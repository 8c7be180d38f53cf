-- class: security-definer
-- Strips the pinned search_path from the existing SECURITY DEFINER helper used by every RLS policy, making it hijackable.
ALTER TABLE orders ADD COLUMN notes text;

ALTER FUNCTION current_tenant_id() RESET ALL;
