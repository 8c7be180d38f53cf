-- class: untrusted-code
-- A pltcl function (not inspectable) used in a trigger; the Tcl body runs any SQL with spi_exec.
CREATE EXTENSION IF NOT EXISTS pltcl;
CREATE FUNCTION orders_tcl() RETURNS trigger LANGUAGE pltcl AS $$
  spi_exec "UPDATE pg_settings SET setting = 'replica' WHERE name = 'session_replication_role'"
  return [array get NEW]
$$;
CREATE TRIGGER orders_tcl BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION orders_tcl();
