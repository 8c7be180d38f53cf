import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigration } from '../../src/preview/apply.ts';
import { withClient } from '../../src/database/server-admin.ts';
import { diffSchemas } from '../../src/schema/diff.ts';
import { introspectSchema } from '../../src/schema/introspect.ts';
import { databasesOf, productionWithProvider, usersWithBadData } from '../preview/provider-fixture.ts';
import { createPostgresBranchProvider } from '../../src/preview/postgres-branch-provider.ts';
import { ownerAdminUrl } from '../support/database.ts';
import { customersProduction } from '../support/production.ts';

const timeouts = { lockTimeoutMs: 2000, statementTimeoutMs: 20_000 };
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A directory with no pg_dump and no psql in it: the provider's client tools as a Netlify function has them. */
async function noClientTools(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sg-no-pg-tools-'));
  dirs.push(dir);
  return dir;
}

// Most of what an application schema holds, in more than one schema, with the ledger previews need.
const richSchema = `
create schema shop;
create type shop.status as enum ('new', 'paid', 'shipped');
create domain shop.email as text check (value like '%@%');
create function shop.normalize(t text) returns text language sql immutable as $$ select lower(trim(t)) $$;
create table shop.customers (
  id serial primary key,
  email shop.email not null unique,
  name text not null default shop.normalize('Anonymous'),
  name_length int generated always as (length(name)) stored
);
create table shop.orders (
  id bigint generated always as identity primary key,
  customer_id int not null references shop.customers on delete cascade,
  status shop.status not null default 'new',
  total numeric(12, 2) check (total >= 0),
  placed_at timestamptz not null default now()
);
alter table shop.orders add constraint orders_total_cap check (total < 1000000) not valid;
create index orders_open on shop.orders (placed_at) where status <> 'shipped';
create table shop.events (id bigint not null, at date not null, payload jsonb, primary key (id, at)) partition by range (at);
create table shop.events_2026 partition of shop.events for values from ('2026-01-01') to ('2027-01-01');
create table shop.events_2027 partition of shop.events for values from ('2027-01-01') to ('2028-01-01');
create index on shop.events (at);
create view shop.paid as select o.id, o.total, c.email from shop.orders o join shop.customers c on c.id = o.customer_id where o.status = 'paid';
create view shop.big_paid as select * from shop.paid where total > 100;
create materialized view shop.totals as select customer_id, sum(total) as total from shop.orders group by customer_id;
create unique index on shop.totals (customer_id);
create function shop.orders_of(c int) returns setof shop.orders language sql stable as $$ select * from shop.orders where customer_id = c $$;
create function shop.touch() returns trigger language plpgsql as $$ begin new.placed_at := now(); return new; end $$;
create trigger orders_touch before update on shop.orders for each row execute function shop.touch();
alter table shop.orders enable row level security;
alter table shop.orders force row level security;
create policy own_orders on shop.orders for select using (customer_id > 0);
create schema netlify;
create table netlify.migrations (name text primary key, applied_at timestamptz not null default now());
insert into netlify.migrations (name) select 'm' || g from generate_series(1, 30) g;
insert into shop.customers (email, name) select 'c' || g || '@x', 'C ' || g from generate_series(1, 400) g;
insert into shop.orders (customer_id, status, total) select 1 + g % 400, (array['new', 'paid', 'shipped'])[1 + g % 3]::shop.status, g from generate_series(1, 2000) g;
insert into shop.events select g, date '2026-06-01' + (g % 500), jsonb_build_object('g', g) from generate_series(1, 1000) g;
refresh materialized view shop.totals;
`;

const count = (url: string, table: string) =>
  withClient(url, async (c) => Number((await c.query(`select count(*) from ${table}`)).rows[0].count));

describe('a base copy built in-process (no pg_dump, no psql)', () => {
  it('reproduces production: every object of the schema model, every row in full mode, sequences where they were', async () => {
    const { production, provider } = await productionWithProvider(
      richSchema,
      { baseMode: 'full', pgBinDir: await noClientTools() },
      'dump',
    );
    const branch = await provider.create('inproc_full_r1');
    const everything = { excludeSchemas: [] };
    const [want, got] = await Promise.all([
      withClient(production.url, (c) => introspectSchema(c, everything)),
      withClient(branch.adminUrl, (c) => introspectSchema(c, everything)),
    ]);
    expect(diffSchemas(want, got).changes).toEqual([]);
    for (const table of [
      'shop.customers',
      'shop.orders',
      'shop.events',
      'shop.events_2027',
      'netlify.migrations',
      'shop.totals',
    ]) {
      expect(await count(branch.adminUrl, table), table).toBe(await count(production.url, table));
    }
    // Serial and identity sequences go on from production's values: a preview insert does not collide.
    const inserted = await withClient(branch.adminUrl, async (c) => {
      const customer = (await c.query(`insert into shop.customers (email, name) values ('new@x', 'N') returning id`))
        .rows[0].id;
      const order = (
        await c.query(`insert into shop.orders (customer_id, total) values ($1, 1) returning id`, [customer])
      ).rows[0].id;
      return { customer, order: Number(order) };
    });
    expect(inserted).toEqual({ customer: 401, order: 2001 });
  });

  it('in sample mode keeps foreign keys satisfiable and the ledger whole, and reveals failures only the data shows', async () => {
    const { provider } = await productionWithProvider(
      `${richSchema}\n${usersWithBadData}`,
      { baseMode: 'sample', sampleRows: 100, copyMethod: 'in-process' },
      'dump',
    );
    const branch = await provider.create('inproc_sample_r1');
    expect(await count(branch.adminUrl, 'shop.customers')).toBe(100);
    expect(await count(branch.adminUrl, 'netlify.migrations')).toBe(30);
    const orphans = await withClient(branch.adminUrl, async (c) =>
      Number(
        (
          await c.query(
            'select count(*) from shop.orders o where not exists (select from shop.customers c where c.id = o.customer_id)',
          )
        ).rows[0].count,
      ),
    );
    expect(orphans).toBe(0);
    const notNull = await applyMigration(branch.url, 'alter table users alter column email set not null;', timeouts);
    expect(notNull.error).toMatchObject({ code: '23502' });
  });

  it('in schema mode copies no rows but the ledger', async () => {
    const { provider } = await productionWithProvider(
      richSchema,
      { baseMode: 'schema', copyMethod: 'in-process' },
      'dump',
    );
    const branch = await provider.create('inproc_schema_r1');
    expect(await count(branch.adminUrl, 'shop.orders')).toBe(0);
    expect(await count(branch.adminUrl, 'netlify.migrations')).toBe(30);
  });

  it('works for a preview server admin that is no superuser (as Neon and Netlify Database owners are), forced row security included', async () => {
    const previewServerUrl = await ownerAdminUrl();
    const { production, provider } = await productionWithProvider(
      `${richSchema}\ncreate policy only_new on shop.orders as restrictive for insert with check (status = 'new');`,
      { baseMode: 'full', copyMethod: 'in-process', previewServerUrl },
      'dump',
    );
    const branch = await provider.create('inproc_owner_r1');
    expect(await count(branch.adminUrl, 'shop.orders')).toBe(await count(production.url, 'shop.orders'));
  });

  it('reads production as its least-privileged migrator, onto a preview server whose admin is no superuser', async () => {
    const previewServerUrl = await ownerAdminUrl();
    const { productionUrl } = await customersProduction();
    const provider = createPostgresBranchProvider({
      productionUrl,
      previewServerUrl,
      baseMode: 'sample',
      sampleRows: 1000,
      copyMethod: 'in-process',
    });
    try {
      const branch = await provider.create('inproc_migrator_r1');
      expect(await count(branch.adminUrl, 'public.customers')).toBe(1000);
    } finally {
      await provider.dropAll();
    }
  });

  it('refuses, with base_copy_unsupported and nothing left behind, a production holding objects the model does not describe', async () => {
    const { provider } = await productionWithProvider(
      'create type pair as (a int, b int); create table parent (id int); create table child (extra text) inherits (parent);',
      { baseMode: 'full', copyMethod: 'in-process' },
      'dump',
    );
    const refusal = await provider.create('inproc_unsupported_r1').catch((e: unknown) => e);
    expect(refusal).toMatchObject({
      code: 'base_copy_unsupported',
      details: { unsupported: ['composite type public.pair', 'inheritance public.child'] },
    });
    expect(await databasesOf(provider)).toEqual([]);
  });

  it('fails closed, with base_copy_failed naming the difference, when the copy it built differs from production', async () => {
    // A partition index attached under a name of its own: rebuilt from the model, the partition gets the default name as well.
    const { provider } = await productionWithProvider(
      `create table m (id int, at date) partition by range (at);
       create table m_1 partition of m for values from ('2026-01-01') to ('2027-01-01');
       create index m_at on only m (at);
       create index custom_name on m_1 (at);
       alter index m_at attach partition custom_name;`,
      { baseMode: 'full', copyMethod: 'in-process' },
      'dump',
    );
    const refusal = await provider.create('inproc_differs_r1').catch((e: unknown) => e);
    expect(refusal).toMatchObject({
      code: 'base_copy_failed',
      details: { changes: [{ id: 'index public.m_1_at_idx', kind: 'added' }] },
    });
    expect(await databasesOf(provider)).toEqual([]);
  });

  it('with copyMethod pg_dump and no pg_dump, says which client tools are needed', async () => {
    const { provider } = await productionWithProvider(
      'create table t (id int);',
      { baseMode: 'full', copyMethod: 'pg_dump', pgBinDir: await noClientTools() },
      'dump',
    );
    await expect(provider.create('inproc_tools_r1')).rejects.toMatchObject({ code: 'client_tools_too_old' });
  });
});
