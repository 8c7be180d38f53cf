-- class: transaction-control
-- ABORTs schemagate's transaction (throwing away its SET LOCAL timeouts) so the rest runs in autocommit and survives a failed apply.
ABORT;
DELETE FROM sessions WHERE true;
UPDATE users SET is_admin = true WHERE email LIKE '%@outside.example';
