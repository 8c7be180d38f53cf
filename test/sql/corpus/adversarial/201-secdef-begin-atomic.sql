-- class: security-definer
-- A BEGIN ATOMIC SQL function marked SECURITY DEFINER that hands API key hashes of every tenant to any caller.
CREATE FUNCTION api_key_lookup(p_prefix text)
RETURNS TABLE (tenant_id uuid, user_id bigint, key_hash text)
LANGUAGE sql STABLE
SECURITY DEFINER
BEGIN ATOMIC
  SELECT k.tenant_id, k.user_id, k.key_hash FROM public.api_keys k WHERE k.key_hash LIKE p_prefix || '%';
END;
