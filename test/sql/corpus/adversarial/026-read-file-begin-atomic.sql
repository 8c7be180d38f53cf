-- class: server-file-access
-- A BEGIN ATOMIC SQL function that returns the content of any server file; the application exposes it as a template preview.
CREATE FUNCTION template_preview(p_id bigint) RETURNS text
LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT PG_CATALOG.PG_READ_FILE(t.path, 0, 65536, true)
  FROM report_templates t
  WHERE t.id = p_id;
END;
