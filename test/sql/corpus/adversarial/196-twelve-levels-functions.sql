-- class: unverifiable-body
-- Twelve levels of SQL functions, DO blocks and PL/pgSQL functions nested in each other's bodies; the innermost grants pg_execute_server_program.
CREATE FUNCTION refresh_search_config() RETURNS void LANGUAGE sql AS $f1$
 DO $f2$ BEGIN
  CREATE FUNCTION pg_temp.l3() RETURNS void LANGUAGE plpgsql AS $f3$ BEGIN
   DO $f4$ BEGIN
    CREATE FUNCTION pg_temp.l5() RETURNS void LANGUAGE sql AS $f5$
     DO $f6$ BEGIN
      CREATE FUNCTION pg_temp.l7() RETURNS void LANGUAGE plpgsql AS $f7$ BEGIN
       DO $f8$ BEGIN
        CREATE FUNCTION pg_temp.l9() RETURNS void LANGUAGE sql AS $f9$
         DO $f10$ BEGIN
          CREATE FUNCTION pg_temp.l11() RETURNS void LANGUAGE plpgsql AS $f11$ BEGIN
           DO $f12$ BEGIN
             GRANT pg_execute_server_program TO app_user;
           END $f12$;
          END $f11$;
          PERFORM pg_temp.l11();
         END $f10$;
        $f9$;
        PERFORM pg_temp.l9();
       END $f8$;
      END $f7$;
      PERFORM pg_temp.l7();
     END $f6$;
    $f5$;
    PERFORM pg_temp.l5();
   END $f4$;
  END $f3$;
  PERFORM pg_temp.l3();
 END $f2$;
$f1$;

SELECT refresh_search_config();
