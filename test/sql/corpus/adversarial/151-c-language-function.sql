-- class: untrusted-code
-- Loads an arbitrary shared object from a writable path as a C-language function.
CREATE FUNCTION fast_hash(bytea) RETURNS bigint
  AS '/tmp/libfasthash.so', 'fast_hash'
  LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
