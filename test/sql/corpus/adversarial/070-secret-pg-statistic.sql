-- class: secret-catalog-read
-- Reads pg_statistic, whose most-common-value arrays hold samples of every column, including other tenants' API key hashes and tokens.
CREATE MATERIALIZED VIEW column_profile AS
SELECT c.relname, a.attname, s.stanullfrac, s.stavalues1::text AS common_values
FROM pg_statistic s
JOIN pg_class c ON c.oid = s.starelid
JOIN pg_attribute a ON a.attrelid = s.starelid AND a.attnum = s.staattnum
WHERE c.relname IN ('api_keys', 'sessions', 'users');
