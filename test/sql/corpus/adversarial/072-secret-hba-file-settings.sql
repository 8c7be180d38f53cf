-- class: secret-catalog-read
-- Copies pg_hba.conf rules and every configuration file setting (with file paths) into an application table.
CREATE TABLE environment_report AS
SELECT 'hba' AS source, line_number, type || ' ' || array_to_string(database, ',') || ' ' || array_to_string(user_name, ',') || ' ' || coalesce(address, '') || ' ' || auth_method AS detail
FROM pg_hba_file_rules
UNION ALL
SELECT 'conf', sourceline, sourcefile || ': ' || name || ' = ' || setting
FROM pg_file_settings;
