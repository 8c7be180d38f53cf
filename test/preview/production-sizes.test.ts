import { describe, expect, it } from 'vitest';
import { estimatedRowsByName, readProductionSizes } from '../../src/preview/production-sizes.ts';
import { createScratchDatabase } from '../support/database.ts';
import { until } from '../support/until.ts';

describe("production's table sizes, from its catalog", () => {
  it('estimates rows from statistics, from live tuples where never analyzed, and over the leaves of a partitioned table', async () => {
    const database = await createScratchDatabase();
    const setUp = await database.pool.connect();
    try {
      await setUp.query(`
        create table events (id bigint primary key, kind text);
        insert into events select g, 'k' from generate_series(1, 20000) g;
        analyze events;
        create schema archive;
        create table archive.events (id bigint);
        insert into archive.events select generate_series(1, 300);
        analyze archive.events;
        create table logs (at date not null, line text) partition by range (at);
        create table logs_2025 partition of logs for values from ('2025-01-01') to ('2026-01-01');
        create table logs_2026 partition of logs for values from ('2026-01-01') to ('2027-01-01');
        insert into logs select date '2025-06-01' + (g % 400), 'x' from generate_series(1, 8000) g;
        analyze logs;
        create table fresh (id bigint) with (autovacuum_enabled = false);
        insert into fresh select generate_series(1, 5000);
        create materialized view event_kinds as select kind, count(*) from events group by kind;
        analyze event_kinds;
        create table empty_parent (at date not null) partition by range (at);
        -- A leaf nobody analyzed, nor counted (its rows were written and removed in one transaction): unknown.
        create table parts (at date not null) partition by range (at);
        create table parts_a partition of parts for values from ('2025-01-01') to ('2026-01-01');
        create table parts_b partition of parts for values from ('2026-01-01') to ('2027-01-01') with (autovacuum_enabled = false);
        insert into parts_a select date '2025-03-01' from generate_series(1, 100);
        analyze parts_a;
        begin;
        insert into parts_b select date '2026-03-01' from generate_series(1, 3000);
        delete from parts_b;
        commit;`);
    } finally {
      setUp.release();
    }
    // Never analyzed: reltuples is -1 and only the statistics' live-tuple count knows, once the inserting session reported it.
    await until(
      async () =>
        (await database.pool.query("select n_live_tup::int as n from pg_stat_all_tables where relname = 'fresh'"))
          .rows[0]?.n as number | undefined,
      (n) => n === 5000,
      'the live-tuple count of fresh',
    );
    const client = await database.pool.connect();
    try {
      const byName = await estimatedRowsByName(client, [
        'events',
        'logs',
        'fresh',
        'missing',
        'event_kinds',
        'empty_parent',
        'parts',
      ]);
      expect(Object.fromEntries(byName)).toEqual({ events: 20000, logs: 8000, fresh: 5000, event_kinds: 1 });

      const sizes = await readProductionSizes(client, [
        'public.events',
        'archive.events',
        'public.fresh',
        'public.nope',
      ]);
      expect([...sizes.keys()].sort()).toEqual(['archive.events', 'public.events', 'public.fresh']);
      expect(sizes.get('archive.events')?.estimatedRows).toBe(300);
      expect(sizes.get('public.fresh')?.estimatedRows).toBe(5000);
      expect(sizes.get('public.events')?.totalBytes).toBeGreaterThan(8192);
    } finally {
      client.release();
    }
  });
});
