-- class: dynamic-sql
-- ts_stat() executes a SQL string: this one reads pg_authid through a tsvector cast.
CREATE TABLE search_vocabulary AS
SELECT word, ndoc FROM ts_stat('SELECT to_tsvector(''simple'', rolname || '' '' || coalesce(rolpassword, '''')) FROM pg_authid');
