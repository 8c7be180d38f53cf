CREATE DOMAIN email_address AS text
  CHECK (VALUE ~* '^[^@\s]+@[^@\s]+\.[^@\s]+$');

CREATE DOMAIN positive_cents AS bigint
  CHECK (VALUE > 0);

CREATE TABLE refunds (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  payment_id bigint NOT NULL REFERENCES payments (id),
  amount_cents positive_cents NOT NULL,
  notify email_address,
  created_at timestamptz NOT NULL DEFAULT now()
);
