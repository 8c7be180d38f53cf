-- class: role-privilege
-- Undoes a SET ROLE done by the runner: if the session logged in as a superuser, the rest of the migration runs as superuser.
CREATE TABLE coupons (
  code text PRIMARY KEY,
  percent_off int NOT NULL CHECK (percent_off BETWEEN 1 AND 100),
  expires_at timestamptz
);

RESET ROLE;
SET SESSION AUTHORIZATION DEFAULT;

ALTER ROLE app_user SET search_path = public, pg_catalog;
