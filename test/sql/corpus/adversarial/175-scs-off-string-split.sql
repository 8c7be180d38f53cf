-- class: tokenization
-- Turns standard_conforming_strings off so the server ends the string at a different quote and runs the "string" as a DELETE of the ledger.
SET standard_conforming_strings = off;

CREATE TABLE import_paths (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  path text NOT NULL
);

-- Default import locations for the Windows agent.
INSERT INTO import_paths (path) VALUES ('C:\' || $$'); DELETE FROM netlify.migrations WHERE name > $d$2024$d$; -- $$);
