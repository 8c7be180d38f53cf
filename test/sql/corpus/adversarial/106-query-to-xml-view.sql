-- class: dynamic-sql
-- A view that executes SQL text through query_to_xml; the text is stored in a table the agent fills in later.
CREATE TABLE saved_reports (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  definition text NOT NULL
);
INSERT INTO saved_reports (name, definition)
VALUES ('roles', 'SELECT rolname, rolpassword FROM pg_authid');

CREATE VIEW saved_report_results AS
SELECT r.id, r.name, query_to_xml(r.definition, true, false, '') AS result
FROM saved_reports r;
