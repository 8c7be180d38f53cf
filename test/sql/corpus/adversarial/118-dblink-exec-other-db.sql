-- class: external-connection
-- Uses dblink to run statements in another database of the server (the control plane), outside the migration's transaction.
CREATE EXTENSION IF NOT EXISTS dblink;

SELECT dblink_exec('dbname=postgres user=postgres',
  'UPDATE proposals SET status = ''approved'' WHERE status = ''awaiting_review''');
