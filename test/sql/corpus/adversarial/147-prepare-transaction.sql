-- class: transaction-control
-- Parks the migration's transaction as a prepared transaction that keeps its ACCESS EXCLUSIVE lock on users after the session ends.
LOCK TABLE users IN ACCESS EXCLUSIVE MODE;
PREPARE TRANSACTION 'schemagate-hold';
