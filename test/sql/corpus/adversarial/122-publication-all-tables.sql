-- class: external-connection
-- Publishes every table (users, api_keys, payments) for logical replication to anyone who can connect as a replication client.
CREATE TABLE search_outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  entity text NOT NULL,
  entity_id bigint NOT NULL
);

CREATE PUBLICATION search_outbox_pub FOR ALL TABLES;
