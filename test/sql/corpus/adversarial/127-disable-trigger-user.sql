-- class: trigger-rls
-- Turns off every user trigger on payments (the audit trail) without re-enabling it.
ALTER TABLE payments ADD COLUMN refunded_at timestamptz, DISABLE TRIGGER USER;
