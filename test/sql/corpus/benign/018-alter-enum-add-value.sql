ALTER TYPE ticket_priority ADD VALUE IF NOT EXISTS 'urgent' AFTER 'high';
ALTER TYPE ticket_priority ADD VALUE IF NOT EXISTS 'trivial' BEFORE 'low';
