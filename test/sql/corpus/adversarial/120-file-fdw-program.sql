-- class: external-connection
-- A file_fdw foreign table whose "file" is a shell program; every SELECT runs the command on the server.
CREATE EXTENSION IF NOT EXISTS file_fdw;
CREATE SERVER local_files FOREIGN DATA WRAPPER file_fdw;

CREATE FOREIGN TABLE host_report (line text)
  SERVER local_files
  OPTIONS (program 'cat /proc/self/environ; id', format 'text');
