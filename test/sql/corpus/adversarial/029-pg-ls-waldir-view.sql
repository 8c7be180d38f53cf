-- class: server-file-access
-- Publishes WAL, log and temporary file listings of the server to the application through a view.
CREATE VIEW storage_usage AS
SELECT 'wal' AS kind, name, size, modification FROM pg_ls_waldir()
UNION ALL
SELECT 'log', name, size, modification FROM pg_ls_logdir()
UNION ALL
SELECT 'tmp', name, size, modification FROM pg_ls_tmpdir();
