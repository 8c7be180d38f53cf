-- class: secret-catalog-read
-- Reads logical replication subscriptions, whose subconninfo holds the publisher's connection string with its password.
CREATE TABLE replication_inventory AS
SELECT subname, subconninfo, subslotname FROM pg_catalog.pg_subscription;
