-- class: tokenization
-- BIG5 client encoding: the server splits the E'' literal after "両" and runs a GRANT hidden inside it.
SET client_encoding = 'BIG5';

CREATE TABLE glossary (
  term text PRIMARY KEY,
  definition text
);
INSERT INTO glossary VALUES ('liang', E'両\'); GRANT ALL ON ALL TABLES IN SCHEMA netlify TO app_user; -- ');
