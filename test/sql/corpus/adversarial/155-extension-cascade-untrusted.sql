-- class: untrusted-code
-- Installs an allowlisted extension's transform with CASCADE, which pulls in the untrusted plpython3u language.
CREATE EXTENSION IF NOT EXISTS ltree_plpython3u CASCADE;

CREATE TABLE categories (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  path ltree NOT NULL
);
