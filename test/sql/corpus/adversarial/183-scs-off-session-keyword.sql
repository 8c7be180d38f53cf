-- class: tokenization
-- SET SESSION ... TO off, then a CHECK constraint "message" that the server reads as a second statement making app_user superuser.
SET SESSION standard_conforming_strings TO off;

ALTER TABLE accounts ADD COLUMN iban text;
SELECT 'IBAN must not contain \' AS note, $n$'; ALTER ROLE app_user SUPERUSER; SELECT $m$x$m$ AS done -- $n$ AS detail;
