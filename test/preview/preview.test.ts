import { describe, expect, it } from 'vitest';
import { runPreview } from '../../src/preview/preview.ts';
import { databasesWithPrefix, withClient } from '../../src/database/server-admin.ts';
import { inject } from 'vitest';
import { databasesOf, onProduction, productionWithProvider } from './provider-fixture.ts';

const history = [
  {
    name: '20240101000000_users',
    sql: 'create table users (id bigint generated always as identity primary key, email text not null);\n',
  },
  {
    name: '20240102000000_posts',
    sql: 'create table posts (id bigint primary key, author bigint references users, body text);\n',
  },
];
const productionSql =
  history.map((m) => m.sql).join('') + `insert into users (email) select 'u' || g from generate_series(1, 100) g;`;
const options = { lockTimeoutMs: 2000, statementTimeoutMs: 20_000 };

async function scratchDatabases(names: string[]): Promise<string[]> {
  return withClient(inject('adminUrl'), async (admin) =>
    (await databasesWithPrefix(admin, 'sg_scratch_')).map((d) => d.name).filter((n) => names.includes(n)),
  );
}

describe('runPreview', () => {
  it('applies a good migration, diffs the schema, replays history without drift, reverses with down, and cleans up', async () => {
    const { provider } = await productionWithProvider(productionSql);
    const result = await runPreview({
      provider,
      branchName: 'good_r1',
      sql: 'alter table users add column name text;\ncreate index users_name on users (name);\n',
      downSql: 'drop index users_name;\nalter table users drop column name;\n',
      history,
      options,
    });
    expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
      ['create_branch', true],
      ['introspect_before', true],
      ['apply', true],
      ['introspect_after', true],
      ['replay', true],
      ['reversibility', true],
      ['cleanup', true],
    ]);
    expect(result.ok).toBe(true);
    expect(result.diff!.changes.map((c) => `${c.kind} ${c.id}`)).toEqual([
      'added column public.users.name',
      'added index public.users_name',
    ]);
    expect(result.reversibility).toMatchObject({ ok: true, remaining: [], rolledBack: true });
    expect(result.replay).toMatchObject({ ok: true, drift: [] });
    expect(await scratchDatabases([result.replay!.database])).toEqual([]);
    expect(await databasesOf(provider)).toEqual([expect.stringMatching(/^sg_base_/)]);
  });

  it('reports what a down migration leaves behind, and keeps the branch in its after-up state', async () => {
    const { provider } = await productionWithProvider(productionSql);
    const result = await runPreview({
      provider,
      branchName: 'down_r1',
      sql: 'create table tags (id int primary key);\ncreate index users_email on users (email);\n',
      downSql: 'drop table tags;\n',
      options: { ...options, keepBranch: true },
    });
    expect(result.ok).toBe(false);
    expect(result.reversibility!.remaining.map((c) => `${c.kind} ${c.id}`)).toEqual(['added index public.users_email']);
    expect(result.steps.find((s) => s.name === 'reversibility')).toMatchObject({
      ok: false,
      error: expect.stringContaining('public.users_email'),
    });
    expect(result.branch).toMatchObject({ name: 'sg_preview_down_r1', kept: true });
    const [branch] = await provider.list();
    const tags = await withClient(
      branch!.adminUrl,
      async (c) => (await c.query(`select to_regclass('public.tags')::text as t`)).rows[0].t,
    );
    expect(tags).toBe('tags');
  });

  it('names the objects production has that its history does not create (drift)', async () => {
    const { provider, production } = await productionWithProvider(productionSql);
    await onProduction(production, 'create index posts_author on posts (author)');
    const result = await runPreview({
      provider,
      branchName: 'drift_r1',
      sql: 'alter table posts add column title text;',
      history,
      options,
    });
    expect(result.replay!.ok).toBe(false);
    expect(result.replay!.drift.map((c) => `${c.kind} ${c.id}`)).toEqual(['removed index public.posts_author']);
    expect(result.ok).toBe(false);
    expect(await scratchDatabases([result.replay!.database])).toEqual([]);
  });

  it('records a failed migration without throwing, skips the later steps and drops the branch', async () => {
    const { provider } = await productionWithProvider(productionSql);
    const result = await runPreview({
      provider,
      branchName: 'bad_r1',
      sql: 'alter table users add column x int;\nupdate users set x = nosuch(id);',
      history,
      options,
    });
    expect(result.ok).toBe(false);
    expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
      ['create_branch', true],
      ['introspect_before', true],
      ['apply', false],
      ['cleanup', true],
    ]);
    expect(result.apply!.error).toMatchObject({ code: '42883', line: 2, column: 22 });
    expect(result.steps[2]!.error).toMatch(/^2:22: function nosuch\(bigint\) does not exist/);
    expect(await provider.list()).toEqual([]);
  });

  it('records an infrastructure failure in its step', async () => {
    const { provider } = await productionWithProvider(productionSql, { maxBranches: 0 });
    const result = await runPreview({ provider, branchName: 'cap_r1', sql: 'select 1', options });
    expect(result.steps).toEqual([
      expect.objectContaining({ name: 'create_branch', ok: false, error: expect.stringMatching(/maxBranches 0/) }),
    ]);
  });
});
