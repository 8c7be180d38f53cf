CREATE TABLE order_lines (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  sku text NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  unit_price_cents bigint NOT NULL CHECK (unit_price_cents >= 0),
  line_total_cents bigint GENERATED ALWAYS AS (quantity * unit_price_cents) STORED,
  search tsvector GENERATED ALWAYS AS (to_tsvector('simple', sku)) STORED
);

CREATE INDEX order_lines_order_idx ON order_lines (order_id);
CREATE INDEX order_lines_search_idx ON order_lines USING gin (search);
