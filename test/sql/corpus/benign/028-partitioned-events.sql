CREATE TABLE app_events (
  id bigint GENERATED ALWAYS AS IDENTITY,
  tenant_id uuid NOT NULL,
  kind text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  occurred_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);

CREATE TABLE app_events_2025_01 PARTITION OF app_events
  FOR VALUES FROM ('2025-01-01') TO ('2025-02-01');
CREATE TABLE app_events_2025_02 PARTITION OF app_events
  FOR VALUES FROM ('2025-02-01') TO ('2025-03-01');
CREATE TABLE app_events_default PARTITION OF app_events DEFAULT;

CREATE INDEX app_events_tenant_kind_idx ON app_events (tenant_id, kind, occurred_at);
