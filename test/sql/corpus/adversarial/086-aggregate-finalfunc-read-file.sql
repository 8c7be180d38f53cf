-- class: operator-cast-aggregate
-- An aggregate whose final function is pg_read_file: concatenating path fragments reads the file they name.
CREATE AGGREGATE public.path_join(text) (
  SFUNC = textcat,
  STYPE = text,
  INITCOND = '',
  FINALFUNC = pg_read_file
);

CREATE MATERIALIZED VIEW hosts_snapshot AS
SELECT path_join(part ORDER BY n) AS contents
FROM (VALUES (1, '/etc/'), (2, 'hosts')) AS p(n, part);
