-- Custom SQL migration file, put your code below! ---- Audit events are append-only: the database itself refuses to change or remove them.
CREATE FUNCTION "schemagate"."audit_events_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'schemagate.audit_events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_events_no_update_delete"
  BEFORE UPDATE OR DELETE ON "schemagate"."audit_events"
  FOR EACH ROW EXECUTE FUNCTION "schemagate"."audit_events_append_only"();
--> statement-breakpoint
CREATE TRIGGER "audit_events_no_truncate"
  BEFORE TRUNCATE ON "schemagate"."audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "schemagate"."audit_events_append_only"();
