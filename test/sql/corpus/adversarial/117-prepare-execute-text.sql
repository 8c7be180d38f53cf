-- class: dynamic-sql
-- A prepared statement takes the setting name as a parameter, so only EXECUTE reveals (at run time) that it disables triggers.
PREPARE apply_setting(text, text) AS SELECT set_config($1, $2, false);
EXECUTE apply_setting('session_replication_role', 'replica');

DELETE FROM audit_log WHERE at < now();
DEALLOCATE apply_setting;
