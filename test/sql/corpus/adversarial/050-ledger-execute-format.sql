-- class: ledger-tampering
-- Deletes the ledger row with dynamic SQL whose schema and table come in as format() arguments.
DO $$
BEGIN
  EXECUTE format('DELETE FROM %I.%I WHERE name = %L', 'net' || 'lify', 'migrations', '20240611090000_rls');
END
$$;
