-- class: server-settings
-- Disables row-level security enforcement for the rest of the session by updating pg_settings with a computed value.
UPDATE pg_catalog.pg_settings s
SET setting = (SELECT 'off'::text)
WHERE s.name = (SELECT 'row' || '_security');

CREATE TABLE tenant_invoice_copy AS SELECT * FROM invoices;
