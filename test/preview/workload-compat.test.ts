import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWorkload, type WorkloadCheckOptions } from '../../src/preview/workload-compat.ts';
import { inspectBranch } from '../../src/preview/workload-plans.ts';
import { screenStatement } from '../../src/preview/workload-screen.ts';
import { readWorkload, readWorkloadFile, type Workload } from '../../src/preview/workload-source.ts';
import { withClient } from '../../src/database/server-admin.ts';
import { createScratchDatabase } from '../support/database.ts';
import { orderAndUserCounts, previewDatabase, type PreviewDatabase } from './preview-database.ts';

/** Only the plan regression tests need a table above the large-table threshold (10,000 rows). */
const schema = (rows: number) => `
create table users (id bigint generated always as identity primary key, email text not null, nickname text, legacy text);
create index users_email on users (email);
insert into users (email, nickname) select 'u' || g || '@x', 'n' || g from generate_series(1, ${rows}) g;
create table orders (id bigint generated always as identity primary key, user_id bigint not null, total numeric not null);
analyze;`;

const options: WorkloadCheckOptions = {
  statementTimeoutMs: 5000,
  lockTimeoutMs: 1000,
  costFactor: 10,
  largeTableRows: 10_000,
};

/** Production's schema before the migration, and a copy with the migration applied: the twin and the migrated branch of a preview. */
async function beforeAndAfter(migration: string, rows = 100) {
  const [before, after] = await Promise.all([previewDatabase(schema(rows)), previewDatabase(schema(rows))]);
  await withClient(after.runnerUrl, (client) => client.query(migration));
  /** `checkWorkload` of `workload` across the two, under `options` with `overrides`. */
  const check = (workload: Workload, overrides: Partial<WorkloadCheckOptions> = {}) =>
    checkWorkload({
      workload,
      afterUrl: after.runnerUrl,
      beforeUrl: before.runnerUrl,
      options: { ...options, ...overrides },
    });
  return { before, after, check };
}

async function workloadFile(name: string, text: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'sg-workload-')), name);
  await writeFile(file, text);
  return file;
}

const fromFile = async (text: string): Promise<Workload> =>
  readWorkload(undefined, { source: 'auto', file: await workloadFile('workload.sql', text), top: 200 });

const tableExists = (db: PreviewDatabase, name: string) =>
  withClient(
    db.url,
    async (c) => (await c.query(`select to_regclass($1)::text as t`, [name])).rows[0].t as string | null,
  );

describe('screenStatement', () => {
  it('takes one SELECT, INSERT, UPDATE or DELETE (WITH included) and counts its parameters', () => {
    expect(
      screenStatement(
        'with recent as (select * from orders where id > $2) select * from users u join recent r on r.user_id = u.id where u.email = $1',
      ),
    ).toMatchObject({ ok: true, kind: 'select', params: 2, relations: ['users', 'orders'] });
    expect(screenStatement('insert into public.users (email) values ($1)')).toMatchObject({
      ok: true,
      kind: 'insert',
      insert: { table: { schema: 'public', name: 'users' }, columns: { named: ['email'] } },
    });
    expect(screenStatement('insert into users values (default, $1)')).toMatchObject({
      insert: { columns: { positional: 2 } },
    });
    expect(screenStatement('update users set nickname = $1 where id = $2')).toMatchObject({ ok: true, kind: 'update' });
  });

  it('reads a name as a WITH query only where that query is in scope, and as the table everywhere else', () => {
    const relations = (sql: string) => {
      const screened = screenStatement(sql);
      return screened.ok ? [...screened.relations].sort() : screened.reason;
    };
    // A WITH query's own body sees the table of the same name (it is not RECURSIVE).
    expect(relations('with users as (select * from users where nickname = $1) select count(*) from users')).toEqual([
      'users',
    ]);
    // Defined in a subquery: seen there only.
    expect(relations('select * from users where id in (with users as (select 1 as id) select id from users)')).toEqual([
      'users',
    ]);
    expect(relations('with x as (with users as (select 1) select * from users) select * from x, users')).toEqual([
      'users',
    ]);
    // "Users" is not users; a schema-qualified name is always the table; RECURSIVE sees itself.
    expect(relations('with "Users" as (select 1) select * from users')).toEqual(['users']);
    expect(relations('with users as (select 1) select * from public.users, users')).toEqual(['public.users']);
    expect(
      relations('with recursive t(n) as (select 1 union all select n + 1 from t where n < 3) select * from t, orders'),
    ).toEqual(['orders']);
    // A later WITH query sees an earlier one.
    expect(relations('with a as (select * from orders), b as (select * from a) select * from b')).toEqual(['orders']);
  });

  it('refuses a string that holds a second statement, utility statements, SELECT INTO, and catalog or ledger queries', () => {
    const refused: Array<[sql: string, reason: string]> = [
      ['select * from users; drop table users', 'not_one_statement'],
      ["select * from users where email = '1'; drop table users; --'", 'not_one_statement'],
      ['drop table users', 'not_dml'],
      ['vacuum users', 'not_dml'],
      ['select * into stolen from users', 'select_into'],
      ['select relname from pg_class where oid = $1', 'catalog_or_own'],
      // The WITH query's own names are not tables: this reads the catalog alone.
      [
        'with named as (select c.oid from pg_class c where c.relname = any($1)) select n.oid from named n join pg_index i on i.indrelid = n.oid',
        'catalog_or_own',
      ],
      ['select name from netlify.migrations', 'catalog_or_own'],
      ['select $1', 'no_table'],
      ['<insufficient privilege>', 'syntax'],
    ];
    for (const [sql, reason] of refused) expect(screenStatement(sql), sql).toMatchObject({ ok: false, reason });
  });
});

describe('checkWorkload (workload file, PREPARE on the server under test)', () => {
  it('flags a query that uses a dropped column as breaking, with the query and the column, and not a query that does not', async () => {
    const { check } = await beforeAndAfter(
      'alter table users drop column nickname; alter table users drop column legacy;',
    );
    const workload = await fromFile(`
      select id, nickname from users where email = $1;
      select id, email from users where id = $1;
      update users set email = $1 where id = $2;`);
    expect(workload).toMatchObject({
      source: 'file',
      statements: [{ id: 'workload.sql:2' }, { id: 'workload.sql:3' }, { id: 'workload.sql:4' }],
    });
    const result = await check(workload);
    expect(result.checked).toBe(3);
    expect(result.issues).toEqual([
      expect.objectContaining({
        code: 'SG501',
        statementId: 'workload.sql:2',
        object: 'nickname',
        query: 'select id, nickname from users where email = $1',
        message: expect.stringMatching(
          /no longer plans after the migration: column "nickname" does not exist \(42703\)/,
        ),
      }),
    ]);
    expect(result.perStatementMs).toBeGreaterThan(0);
  });

  it('flags a renamed column and a type change that breaks an aggregate or a comparison', async () => {
    const { check } = await beforeAndAfter(
      'alter table users rename column nickname to nick; alter table orders alter column total type text;',
    );
    const workload = await fromFile(`
      select nickname from users where id = $1;
      select sum(total) from orders where user_id = $1;
      select id from orders where total > $1::numeric;
      select id from orders where user_id = $1;`);
    const result = await check(workload);
    expect(result.issues.map((i) => [i.code, i.statementId, i.object])).toEqual([
      ['SG501', 'workload.sql:2', 'nickname'],
      ['SG501', 'workload.sql:3', 'sum(text)'],
      ['SG501', 'workload.sql:4', 'text > numeric'],
    ]);
    expect(result.issues[2]!.message).toMatch(/operator does not exist: text > numeric \(42883\)/);
  });

  it('flags an INSERT that leaves out a column the migration makes required, and not one that sets it', async () => {
    const { check } = await beforeAndAfter('alter table orders add column currency text not null;');
    const workload = await fromFile(`
      insert into orders (user_id, total) values ($1, $2);
      insert into orders (user_id, total, currency) values ($1, $2, $3);
      insert into users (email) values ($1);`);
    const result = await check(workload);
    expect(result.issues).toEqual([
      expect.objectContaining({
        code: 'SG502',
        statementId: 'workload.sql:2',
        object: 'orders.currency',
        message: expect.stringContaining('does not set orders.currency'),
      }),
    ]);
  });

  it('does not blame the migration for a column that was already required before it', async () => {
    const { check } = await beforeAndAfter('alter table orders add column note text;');
    const result = await check(await fromFile('insert into orders (user_id) values ($1);'));
    expect(result.issues).toEqual([]);
  });

  it('warns when a dropped index turns an index scan on a large table into a sequential scan, and on the cost rise below the size threshold', async () => {
    const { check } = await beforeAndAfter('drop index users_email;', 20_000);
    const workload = await fromFile('select id from users where email = $1;\nselect id from users where id = $1;');
    const large = await check(workload);
    expect(large.issues).toEqual([
      expect.objectContaining({
        code: 'SG504',
        statementId: 'workload.sql:1',
        object: 'users',
        message: expect.stringMatching(/index scan using users_email to a sequential scan/),
      }),
    ]);
    const small = await check(workload, { largeTableRows: 1_000_000 });
    expect(small.issues).toEqual([
      expect.objectContaining({
        code: 'SG503',
        statementId: 'workload.sql:1',
        message: expect.stringMatching(/estimated plan cost rises \d+\.\d× .*threshold 10×/),
      }),
    ]);
    const lenient = await check(workload, { largeTableRows: 1_000_000, costFactor: 1e6 });
    expect(lenient.issues).toEqual([]);
  });

  it('skips a query that already failed before the migration', async () => {
    const { check } = await beforeAndAfter('alter table users add column age int;');
    const result = await check(await fromFile('select nosuch from users;\nselect id from users;'));
    expect(result.issues).toEqual([]);
    expect(result.skipped).toEqual([
      expect.objectContaining({ reason: expect.stringMatching(/fails before the migration too \(42703/) }),
    ]);
  });

  it('fails, rather than reporting nothing, when no query plans even before the migration', async () => {
    const { check } = await beforeAndAfter('alter table users add column age int;');
    await expect(check(await fromFile('select nosuch from users;'))).rejects.toThrow(
      /none of the 1 production queries could be planned even before the migration/,
    );
  });
});

describe('readWorkload', () => {
  it('falls back to the workload file when production has no pg_stat_statements, or has it installed but not preloaded, and says why', async () => {
    const production = await createScratchDatabase();
    const file = await workloadFile('workload.sql', 'select id from users where id = $1;\nvacuum users;');
    const missing = await readWorkload(production.url, { source: 'auto', file, top: 200 });
    expect(missing).toEqual({
      source: 'file',
      statements: [{ id: 'workload.sql:1', query: 'select id from users where id = $1' }],
      note: 'pg_stat_statements is not installed in production; read workload.sql instead',
    });
    const preloaded = await withClient(
      production.url,
      async (c) => (await c.query('show shared_preload_libraries')).rows[0].shared_preload_libraries as string,
    );
    if (!preloaded.includes('pg_stat_statements')) {
      await withClient(production.url, (c) => c.query('create extension pg_stat_statements'));
      const unloaded = await readWorkload(production.url, { source: 'auto', file, top: 200 });
      expect(unloaded).toMatchObject({
        source: 'file',
        note: expect.stringMatching(
          /^pg_stat_statements cannot be read: .*shared_preload_libraries.*; read workload.sql instead$/,
        ),
      });
    }
    expect(await readWorkload(production.url, { source: 'pg_stat_statements', file, top: 200 })).toMatchObject({
      source: 'none',
      statements: [],
    });
    expect(await readWorkload(undefined, { source: 'auto', top: 200 })).toEqual({
      source: 'none',
      statements: [],
      note: 'no production database to read pg_stat_statements from, and no workload file is configured (preview.workload.file)',
    });
    expect(await readWorkload(production.url, { source: 'off', file, top: 200 })).toMatchObject({
      source: 'none',
      statements: [],
    });
  });
});

describe('queries are data', () => {
  it('never runs a disguised statement from a workload file: screened out, and refused by the server when sent anyway', async () => {
    const { after, check } = await beforeAndAfter('alter table users add column age int;');
    const file = await workloadFile(
      'workload.json',
      JSON.stringify([
        'select * from users where id = $1; drop table orders',
        { query: "select * from users where email = 'x'; drop table orders; --", calls: 5 },
        'delete from orders',
        'insert into orders (user_id, total) values (1, 2)',
      ]),
    );
    const statements = await readWorkloadFile(file);
    const result = await check({ source: 'file', statements });
    expect(result.skipped.map((s) => s.reason)).toEqual([
      expect.stringMatching(/holds 2 statements/),
      expect.stringMatching(/holds 2 statements/),
    ]);
    expect(result.checked).toBe(2);
    // The DELETE and INSERT were planned, not executed.
    const counts = await orderAndUserCounts(after.url);
    expect(counts).toEqual({ orders: 0, users: 100 });

    // The second line of defence: a multi-statement string that reached the server is refused whole.
    const direct = await inspectBranch(
      after.runnerUrl,
      [{ query: 'select 1 from users; drop table orders', params: 0 }],
      [],
      options,
    );
    expect(direct.plans[0]).toMatchObject({
      ok: false,
      error: {
        code: '42601',
        message: expect.stringMatching(/cannot insert multiple commands into a prepared statement/),
      },
    });
    expect(await tableExists(after, 'orders')).toBe('orders');
  });

  it('plans a data-modifying CTE without running it, in a read-only transaction', async () => {
    const { after } = await beforeAndAfter('alter table users add column age int;');
    const inspection = await inspectBranch(
      after.runnerUrl,
      [
        {
          query:
            'with gone as (delete from users returning id) insert into orders (user_id, total) select id, 0 from gone',
          params: 0,
        },
      ],
      [],
      options,
    );
    expect(inspection.plans[0]).toMatchObject({ ok: true });
    const counts = await orderAndUserCounts(after.url);
    expect(counts).toEqual({ orders: 0, users: 100 });
  });

  it('refuses to plan as a superuser', async () => {
    const { after } = await beforeAndAfter('select 1;');
    await expect(
      inspectBranch(after.url, [{ query: 'select 1 from users', params: 0 }], [], options),
    ).rejects.toMatchObject({ code: 'preview_role_too_powerful' });
  });

  it('reports an unreadable or malformed workload file as a configuration error', async () => {
    await expect(readWorkloadFile('/nonexistent/workload.sql')).rejects.toMatchObject({ code: 'configuration_error' });
    await expect(readWorkloadFile(await workloadFile('w.json', '{"query": 1}'))).rejects.toMatchObject({
      code: 'configuration_error',
      message: expect.stringMatching(/expected an array/),
    });
    await expect(readWorkloadFile(await workloadFile('w.sql', 'select from from;'))).rejects.toMatchObject({
      code: 'configuration_error',
      message: expect.stringMatching(/^w\.sql:1:/),
    });
  });
});
