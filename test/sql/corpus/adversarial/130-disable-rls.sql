-- class: trigger-rls
-- Turns row-level security off on invoices, exposing every tenant's invoices to the application role.
ALTER TABLE invoices ADD COLUMN due_at timestamptz;
ALTER TABLE invoices DISABLE ROW LEVEL SECURITY;
CREATE INDEX CONCURRENTLY IF NOT EXISTS invoices_due_at_idx ON invoices (due_at);
