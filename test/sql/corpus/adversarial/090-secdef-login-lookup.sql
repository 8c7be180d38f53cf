-- class: security-definer
-- A SECURITY DEFINER lookup without a pinned search_path, executable by PUBLIC: bypasses RLS and can be hijacked through the caller's search_path.
CREATE FUNCTION find_user_for_login(p_email text)
RETURNS TABLE (id bigint, tenant_id uuid, password_hash text, is_admin boolean)
LANGUAGE sql STABLE SECURITY DEFINER
AS $$
  SELECT id, tenant_id, password_hash, is_admin FROM users WHERE lower(email) = lower(p_email)
$$;

COMMENT ON FUNCTION find_user_for_login(text) IS 'Used by the auth service before a tenant is known.';
