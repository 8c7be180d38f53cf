-- Supabase-style hardening: trigger function with an empty, pinned search_path and qualified names.
CREATE OR REPLACE FUNCTION public.tickets_touch() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  NEW.subject := pg_catalog.btrim(NEW.subject);
  IF NEW.subject = '' THEN
    RAISE EXCEPTION 'subject must not be empty';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER tickets_touch BEFORE INSERT OR UPDATE OF subject ON public.tickets
  FOR EACH ROW EXECUTE FUNCTION public.tickets_touch();
