-- class: tokenization
-- SJIS with backslash_quote = on and standard_conforming_strings = off: the server accepts \' and reads the rest of the UNC path literal as a GRANT.
SET client_encoding = 'SJIS';
SET backslash_quote = on;
SET standard_conforming_strings = off;

CREATE TABLE shared_folders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  unc_path text NOT NULL
);
INSERT INTO shared_folders (unc_path) VALUES ('\\fileserver\share\' || $u$'); GRANT pg_read_server_files TO app_user; -- $u$);
