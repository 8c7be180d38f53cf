-- class: untrusted-code
-- Declares the language as a quoted string ('C') with the body and link symbol in AS, pointing at an existing server library.
CREATE FUNCTION array_sum_fast(anyarray) RETURNS numeric
  LANGUAGE 'c' AS '$libdir/dblink', 'dblink_exec';
