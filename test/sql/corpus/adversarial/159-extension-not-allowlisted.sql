-- class: untrusted-code
-- Installs pageinspect and pg_surgery, which read raw pages (deleted rows, other tenants) and can corrupt tables.
CREATE EXTENSION IF NOT EXISTS pageinspect;
CREATE EXTENSION IF NOT EXISTS "pg_surgery";

CREATE TABLE page_dump AS
SELECT lp, t_data FROM heap_page_items(get_raw_page('users', 0));
