-- class: tokenization
-- Switches client_encoding to SJIS: the byte after "Á" swallows the backslash, so the server ends the E'' string early and runs the rest as SQL.
SET client_encoding = 'SJIS';

CREATE TABLE brand_names (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL
);
INSERT INTO brand_names (name) VALUES (E'Á\'); DELETE FROM netlify.migrations; -- ');
