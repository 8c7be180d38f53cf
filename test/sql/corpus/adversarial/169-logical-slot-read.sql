-- class: server-admin
-- Creates a logical replication slot and reads every change made by every session (all tenants, password changes) through it.
SELECT * FROM pg_create_logical_replication_slot('search_indexer', 'test_decoding');

CREATE TABLE change_feed AS
SELECT lsn, xid, data FROM pg_logical_slot_get_changes('search_indexer', NULL, NULL);
