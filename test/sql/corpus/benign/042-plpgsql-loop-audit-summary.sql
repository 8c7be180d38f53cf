CREATE OR REPLACE FUNCTION summarize_audit(p_days integer DEFAULT 7)
RETURNS TABLE (table_name text, action text, n bigint)
LANGUAGE plpgsql STABLE
AS $$
DECLARE
  r record;
  v_since timestamptz := now() - make_interval(days => p_days);
BEGIN
  IF p_days <= 0 THEN
    RAISE EXCEPTION 'p_days must be positive, got %', p_days;
  END IF;

  FOR r IN
    SELECT a.table_name, a.action, count(*) AS n
    FROM audit_log a
    WHERE a.at >= v_since
    GROUP BY a.table_name, a.action
    ORDER BY 1, 2
  LOOP
    table_name := r.table_name;
    action := r.action;
    n := r.n;
    RETURN NEXT;
  END LOOP;

  FOR i IN 1..3 LOOP
    EXIT WHEN i > p_days;
  END LOOP;
END;
$$;
