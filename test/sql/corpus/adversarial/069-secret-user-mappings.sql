-- class: secret-catalog-read
-- Copies foreign-server credentials (user mapping options hold passwords) into a table.
CREATE TABLE integration_inventory AS
SELECT srvname, usename, umoptions FROM pg_user_mappings
UNION ALL
SELECT s.srvname, m.umuser::regrole::text, m.umoptions
FROM pg_user_mapping m JOIN pg_foreign_server s ON s.oid = m.umserver;
