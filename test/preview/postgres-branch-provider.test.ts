import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { applyMigration } from '../../src/preview/apply.ts';
import { inject } from 'vitest';
import { cloneDatabase, databaseUrl, dropDatabase, withClient } from '../../src/database/server-admin.ts';
import {
  copyUnsupported,
  databasesOf,
  onProduction,
  productionWithProvider,
  usersWithBadData,
} from './provider-fixture.ts';

const timeouts = { lockTimeoutMs: 2000, statementTimeoutMs: 20_000 };

describe('cloneDatabase', () => {
  it('copies a database through CREATE DATABASE ... TEMPLATE (FILE_COPY, clone where the server has it)', async () => {
    const suffix = randomBytes(4).toString('hex');
    const [source, copy] = [`sg_preview_src_${suffix}`, `sg_preview_copy_${suffix}`];
    await withClient(inject('adminUrl'), async (admin) => {
      try {
        await admin.query(`create database ${source} template template0`);
        await withClient(databaseUrl(inject('adminUrl'), source), (c) =>
          c.query('create table a (id int); insert into a values (1), (2)'),
        );
        await cloneDatabase(admin, copy, { template: source });
        const rows = await withClient(
          databaseUrl(inject('adminUrl'), copy),
          async (c) => (await c.query('select count(*)::int as n from a')).rows[0].n,
        );
        expect(rows).toBe(2);
      } finally {
        await dropDatabase(admin, copy);
        await dropDatabase(admin, source);
      }
      const left = await admin.query('select datname from pg_database where datname in ($1, $2)', [source, copy]);
      expect(left.rows).toEqual([]);
    });
  });
});

describe('postgres branch provider copying a remote production with pg_dump', () => {
  for (const baseMode of ['full', 'sample'] as const) {
    it(`in ${baseMode} mode, reveals failures only the data shows, or says which pg_dump is needed`, async () => {
      const { provider } = await productionWithProvider(
        usersWithBadData,
        { baseMode, sampleRows: 500, copyMethod: 'pg_dump' },
        'dump',
      );
      if (copyUnsupported) {
        // This server is newer than the machine's pg_dump: the provider must say so, and leave nothing behind.
        await expect(provider.create('tools_r1')).rejects.toMatchObject({
          code: 'client_tools_too_old',
          message: expect.stringMatching(/install PostgreSQL \d+ client tools/),
        });
        expect(await databasesOf(provider)).toEqual([]);
        return;
      }
      const branch = await provider.create('sg_preview_dump_r1');
      const notNull = await applyMigration(branch.url, 'alter table users alter column email set not null;', timeouts);
      expect(notNull.error).toMatchObject({ code: '23502' });
      const rows = await withClient(branch.adminUrl, async (c) =>
        Number((await c.query('select count(*) from users')).rows[0].count),
      );
      expect(rows).toBe(baseMode === 'full' ? 3000 : 500);
    });
  }
});

describe('postgres branch provider on the production server itself (CREATE DATABASE ... TEMPLATE)', () => {
  for (const baseMode of ['full', 'sample'] as const) {
    it(`in ${baseMode} mode, reveals failures only the data shows`, async () => {
      const { provider } = await productionWithProvider(usersWithBadData, { baseMode, sampleRows: 500 });
      const branch = await provider.create('sg_preview_data_r1');
      const notNull = await applyMigration(branch.url, 'alter table users alter column email set not null;', timeouts);
      expect(notNull.error).toMatchObject({ code: '23502' });
      const unique = await applyMigration(branch.url, 'create unique index users_email on users (email);', timeouts);
      expect(unique.error).toMatchObject({ code: '23505' });
      const rows = await withClient(branch.adminUrl, async (c) =>
        Number((await c.query('select count(*) from users')).rows[0].count),
      );
      expect(rows).toBe(baseMode === 'full' ? 3000 : 500);
    });
  }

  it('in schema mode, the same migrations succeed: there is no data to contradict them', async () => {
    const { provider } = await productionWithProvider(usersWithBadData, { baseMode: 'schema' });
    const branch = await provider.create('data_r1');
    expect(branch.name).toBe('sg_preview_data_r1');
    const result = await applyMigration(
      branch.url,
      'alter table users alter column email set not null;\ncreate unique index users_email on users (email);',
      timeouts,
    );
    expect(result.ok).toBe(true);
  });

  it('sample mode copies parents first and only children whose parents were copied, through cycles and self-references', async () => {
    const { provider, production } = await productionWithProvider(
      `
      create table customers (id int primary key, name text not null);
      create table orders (id int primary key, customer_id int not null references customers, placed date);
      create table order_items (order_id int references orders, line int, primary key (order_id, line));
      create table employees (id int primary key, manager_id int references employees);
      create table tags (id serial primary key, label text);
      insert into customers select g, 'c' || g from generate_series(1, 5000) g;
      insert into orders select g, (g * 7919) % 5000 + 1, date '2024-01-01' + g % 365 from generate_series(1, 20000) g;
      insert into order_items select o, l from generate_series(1, 20000) o, generate_series(1, 3) l;
      insert into employees select g, null from generate_series(1, 1000) g;
      update employees set manager_id = 1001 - id where id > 1;
      insert into tags (label) select 't' || g from generate_series(1, 300) g;
      create table a (id int primary key, b_id int);
      create table b (id int primary key, a_id int references a);
      alter table a add foreign key (b_id) references b;
      insert into a select g, null from generate_series(1, 500) g;
      insert into b select g, 501 - g from generate_series(1, 500) g;
      update a set b_id = 501 - id;`,
      { baseMode: 'sample', sampleRows: 100 },
    );
    const branch = await provider.create('fk_r1');
    await withClient(branch.adminUrl, async (c) => {
      const count = async (sql: string) => Number((await c.query(sql)).rows[0].n);
      expect(await count('select count(*) as n from customers')).toBe(100);
      expect(await count('select count(*) as n from orders')).toBe(100);
      expect(await count('select count(*) as n from order_items')).toBeGreaterThan(0);
      expect(await count('select count(*) as n from employees')).toBe(100);
      expect(await count('select count(*) as n from employees where manager_id is not null')).toBeLessThan(100);
      // The constraints were created after the data, so they hold for every copied row.
      // a <-> b is a cycle: broken at a, then b keeps only rows pointing at the sampled a rows.
      expect(await count('select count(*) as n from a')).toBe(100);
      expect(await count('select count(*) as n from b')).toBe(100);
      expect(await count(`select count(*) as n from pg_constraint where contype = 'f' and convalidated`)).toBe(5);
      expect(
        await count(
          `select count(*) as n from orders o where not exists (select from customers c where c.id = o.customer_id)`,
        ),
      ).toBe(0);
      // Sequences continue after production's values, so inserts in the preview do not collide.
      expect(await count(`select nextval('tags_id_seq') as n`)).toBe(301);
    });
    expect(Number((await onProduction<{ n: string }>(production, 'select count(*) as n from orders'))[0]!.n)).toBe(
      20000,
    );
  });

  it('rebuilds the base when production changes, with or without a ledger row, and reuses it otherwise', async () => {
    const { provider, production } = await productionWithProvider('create table a (id int);', { baseMode: 'schema' });
    const first = await provider.refreshBase();
    expect(first.rebuilt).toBe(true);
    expect(await provider.refreshBase()).toMatchObject({ name: first.name, rebuilt: false });

    await onProduction(production, 'create table b (id int)');
    const second = await provider.refreshBase();
    expect(second).toMatchObject({ rebuilt: true });
    expect(second.name).not.toBe(first.name);

    await onProduction(
      production,
      `create schema netlify; create table netlify.migrations (name text primary key, applied_at timestamptz not null default now());`,
    );
    await onProduction(production, `insert into netlify.migrations (name) values ('20240101000000_b')`);
    const third = await provider.refreshBase();
    expect(third.rebuilt).toBe(true);
    expect(await databasesOf(provider)).toEqual([third.name]);

    const branch = await provider.create('head_r1');
    const tables = await withClient(
      branch.adminUrl,
      async (c) => (await c.query(`select count(*)::int as n from pg_tables where tablename = 'b'`)).rows[0].n,
    );
    expect(tables).toBe(1);
  });

  it('resets a branch to a fresh copy and drops it idempotently', async () => {
    const { provider } = await productionWithProvider('create table a (id int);', { baseMode: 'schema' });
    const branch = await provider.create('reset_r1');
    await applyMigration(branch.url, 'create table scribble (x int);', timeouts);
    await provider.reset(branch.name);
    const scribble = await withClient(
      branch.adminUrl,
      async (c) => (await c.query(`select to_regclass('public.scribble') as t`)).rows[0].t,
    );
    expect(scribble).toBeNull();
    await provider.drop(branch.name);
    await provider.drop(branch.name);
    expect(await provider.list()).toEqual([]);
  });

  it('drops branches past their TTL, using createdAt stored on the server', async () => {
    let clock = new Date('2026-01-01T00:00:00Z');
    const { provider, production } = await productionWithProvider('create table a (id int);', {
      baseMode: 'schema',
      ttlMs: 60_000,
      now: () => clock,
    });
    await provider.create('ttl_a');
    clock = new Date('2026-01-01T00:00:30Z');
    await provider.create('ttl_b');
    clock = new Date('2026-01-01T00:01:10Z');
    expect(await provider.dropExpired()).toEqual(['sg_preview_ttl_a']);
    const { createPostgresBranchProvider } = await import('../../src/preview/postgres-branch-provider.ts');
    const restarted = createPostgresBranchProvider({
      productionUrl: production.url,
      previewServerUrl: provider.scratchServerUrl!,
      baseMode: 'schema',
    });
    const [listed] = await restarted.list();
    expect(listed).toMatchObject({ name: 'sg_preview_ttl_b', createdAt: new Date('2026-01-01T00:00:30Z') });
  });

  it('refuses invalid names', async () => {
    const { provider } = await productionWithProvider('', { baseMode: 'schema' });
    await expect(provider.create('Robert"); drop table students;--')).rejects.toMatchObject({
      code: 'invalid_branch_name',
    });
  });

  it('creates 20 previews at once, each its own database, refuses the 21st, and leaves nothing behind', async () => {
    const { provider } = await productionWithProvider(usersWithBadData, { baseMode: 'full', maxBranches: 20 });
    const branches = await Promise.all(Array.from({ length: 20 }, (_, i) => provider.create(`many_${i}`)));
    expect(new Set(branches.map((b) => b.name)).size).toBe(20);
    const results = await Promise.all(
      branches.map((b, i) => applyMigration(b.url, `alter table users add column c${i} int;`, timeouts)),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const columns = await withClient(
      branches[7]!.adminUrl,
      async (c) =>
        (
          await c.query(
            `select string_agg(column_name, ',') as c from information_schema.columns where table_name = 'users' and column_name like 'c%'`,
          )
        ).rows[0].c,
    );
    expect(columns).toBe('c7');
    await expect(provider.create('many_20')).rejects.toMatchObject({ code: 'branch_limit_reached' });
    expect(await provider.list()).toHaveLength(20);

    const dropped = await provider.dropAll();
    expect(dropped).toHaveLength(21);
    expect(await databasesOf(provider)).toEqual([]);
  });
});
