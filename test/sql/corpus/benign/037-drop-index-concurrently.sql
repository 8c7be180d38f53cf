DROP INDEX CONCURRENTLY IF EXISTS shipping_sh_carrier_6d5c1e_idx;
