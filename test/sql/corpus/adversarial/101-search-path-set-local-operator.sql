-- class: search-path
-- SET LOCAL search_path puts public first and an "=" operator on text in public then decides every tenant check in a new policy.
SET LOCAL search_path TO "$user", public, pg_catalog;

CREATE FUNCTION text_eq_any(text, text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT true $$;
CREATE OPERATOR = (LEFTARG = text, RIGHTARG = text, FUNCTION = text_eq_any);

CREATE TABLE shared_documents (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_key text NOT NULL,
  body text
);
ALTER TABLE shared_documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_docs ON shared_documents USING (tenant_key = current_setting('app.tenant_id', true));
