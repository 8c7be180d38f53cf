-- class: tokenization
-- Turns standard_conforming_strings off through pg_settings and hides an ALTER ROLE in what the analyzer reads as a string literal.
UPDATE pg_settings SET setting = 'off' WHERE name = 'standard_conforming_strings';

CREATE TABLE help_articles (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title text NOT NULL
);
INSERT INTO help_articles (title) VALUES ('Use \\ to escape, e.g. \' || $c$'); ALTER ROLE app_user SUPERUSER; -- $c$);
