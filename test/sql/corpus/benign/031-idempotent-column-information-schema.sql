DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name = 'accounts' AND column_name = 'currency'
  ) THEN
    ALTER TABLE accounts ADD COLUMN currency char(3);
  END IF;

  IF NOT EXISTS (
    SELECT 1 FROM pg_constraint
    WHERE conname = 'accounts_currency_check' AND conrelid = 'public.accounts'::regclass
  ) THEN
    ALTER TABLE accounts ADD CONSTRAINT accounts_currency_check CHECK (currency ~ '^[A-Z]{3}$') NOT VALID;
  END IF;
END
$$;
