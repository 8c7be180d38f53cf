CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE room_bookings (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  room text NOT NULL,
  during tstzrange NOT NULL,
  EXCLUDE USING gist (tenant_id WITH =, room WITH =, during WITH &&)
);
