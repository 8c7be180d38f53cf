-- class: server-admin
-- Forces a WAL switch in a loop, filling the archive and replica bandwidth (and creating restore points with misleading names).
DO $$
BEGIN
  FOR i IN 1..500 LOOP
    PERFORM pg_switch_wal();
    PERFORM pg_create_restore_point('pre_migration_' || i);
  END LOOP;
END
$$;
