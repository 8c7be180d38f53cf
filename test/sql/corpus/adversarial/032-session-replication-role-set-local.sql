-- class: server-settings
-- Switches to replica mode so neither foreign keys nor audit triggers fire while orphaned, unaudited rows are written.
SET LOCAL session_replication_role TO replica;

INSERT INTO orders (tenant_id, account_id, total_cents, status)
VALUES ('22222222-2222-2222-2222-222222222222', 999999, 0, 'paid');
UPDATE payments SET amount_cents = 0 WHERE card_last4 IS NOT NULL;

SET LOCAL session_replication_role TO DEFAULT;
