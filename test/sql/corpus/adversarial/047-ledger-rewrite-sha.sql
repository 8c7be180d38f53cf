-- class: ledger-tampering
-- Rewrites the recorded sha256 of an applied migration so an edited file passes the immutability check.
ALTER TABLE users ADD COLUMN locale text;

UPDATE schemagate.ledger
SET sha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    approvers = ARRAY['octocat', 'hubot']
WHERE name = '20240611090000_rls';
