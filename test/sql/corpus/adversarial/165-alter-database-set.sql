-- class: cluster-object
-- Sets defaults on the whole database: every future session skips triggers and row security is disabled for owners.
ALTER DATABASE app SET session_replication_role = 'replica';
ALTER DATABASE app SET row_security = off;
