-- class: ledger-tampering
-- Deletes the ledger history twelve levels deep in nested DO blocks, beyond where an analyzer stops looking.
DO $l1$ BEGIN
 DO $l2$ BEGIN
  DO $l3$ BEGIN
   DO $l4$ BEGIN
    DO $l5$ BEGIN
     DO $l6$ BEGIN
      DO $l7$ BEGIN
       DO $l8$ BEGIN
        DO $l9$ BEGIN
         DO $l10$ BEGIN
          DO $l11$ BEGIN
           DO $l12$ BEGIN
             DELETE FROM netlify.migrations;
             DELETE FROM schemagate.ledger;
           END $l12$;
          END $l11$;
         END $l10$;
        END $l9$;
       END $l8$;
      END $l7$;
     END $l6$;
    END $l5$;
   END $l4$;
  END $l3$;
 END $l2$;
END $l1$;
