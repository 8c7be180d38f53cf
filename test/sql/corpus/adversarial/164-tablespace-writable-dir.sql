-- class: cluster-object
-- Creates a tablespace in a world-readable directory and moves the users table's files there.
CREATE TABLESPACE fast_ssd OWNER app_user LOCATION '/tmp/pg_fast_ssd';
ALTER TABLE users SET TABLESPACE fast_ssd;
