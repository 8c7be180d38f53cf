CREATE SEQUENCE IF NOT EXISTS invoice_number_seq START WITH 1000 INCREMENT BY 1 NO CYCLE;

CREATE TABLE credit_notes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  number bigint NOT NULL DEFAULT nextval('invoice_number_seq'::regclass),
  invoice_id bigint NOT NULL REFERENCES invoices (id),
  amount_cents bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

ALTER SEQUENCE invoice_number_seq OWNED BY credit_notes.number;
