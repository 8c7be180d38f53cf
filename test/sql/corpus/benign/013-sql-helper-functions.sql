CREATE OR REPLACE FUNCTION cents_to_amount(cents bigint) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT round(cents / 100.0, 2) $$;

CREATE OR REPLACE FUNCTION normalize_email(email text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT
AS 'SELECT lower(trim(email))';

CREATE OR REPLACE FUNCTION tenant_order_count(p_tenant uuid) RETURNS bigint
LANGUAGE sql STABLE
AS $$
  SELECT count(*) FROM orders WHERE tenant_id = p_tenant
$$;
