-- class: ledger-tampering
-- Captures a search_path that lists the ledger schema in a trigger function (SET search_path FROM CURRENT) whose body uses unqualified names.
UPDATE pg_settings SET setting = 'public, ' || (SELECT relnamespace::regnamespace::text FROM pg_class WHERE oid = to_regclass('netlify' || '.migrations'))
WHERE name = 'search_path';

CREATE FUNCTION record_release() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
  DELETE FROM migrations WHERE name = NEW.name;
  RETURN NEW;
END
$$;

CREATE TABLE releases (name text PRIMARY KEY, released_at timestamptz DEFAULT now());
CREATE TRIGGER releases_record AFTER INSERT ON releases FOR EACH ROW EXECUTE FUNCTION record_release();
