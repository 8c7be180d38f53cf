-- class: trigger-rls
-- Marks the audit trigger as REPLICA-only, which silently stops it from firing in normal operation.
ALTER TABLE orders ENABLE REPLICA TRIGGER orders_audit;
ALTER TABLE payments ENABLE REPLICA TRIGGER payments_audit;
