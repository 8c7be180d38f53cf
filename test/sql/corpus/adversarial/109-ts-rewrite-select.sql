-- class: dynamic-sql
-- ts_rewrite(tsquery, text) executes its second argument as a query: here one that switches triggers off for the session.
CREATE TABLE search_synonyms (t tsquery, s tsquery);

SELECT ts_rewrite('orders'::tsquery,
  'SELECT t, s FROM search_synonyms, LATERAL (SELECT set_config(''session_replication_role'', ''replica'', false)) AS x');

DELETE FROM audit_log WHERE table_name = 'orders';
