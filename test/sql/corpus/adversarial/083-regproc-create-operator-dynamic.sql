-- class: regproc-indirection
-- Resolves pg_read_file from a computed regprocedure string and defines a prefix operator on it, then reads server files through the operator.
DO $$
DECLARE
  fn regproc := (('pg_catalog.pg_read' || '_file(text)')::regprocedure)::oid::regproc;
BEGIN
  EXECUTE format('CREATE OPERATOR public.~@ (RIGHTARG = text, FUNCTION = %s)', fn);
END
$$;

CREATE VIEW template_sources AS SELECT id, name, ~@ path AS source FROM report_templates;
