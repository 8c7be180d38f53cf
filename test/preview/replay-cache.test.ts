import { randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { runPreview } from '../../src/preview/preview.ts';
import { historyKeys, replayPrefix, replayTemplate } from '../../src/preview/replay-template.ts';
import { databasesWithPrefix, databaseUrl, withClient } from '../../src/database/server-admin.ts';
import { onProduction, productionWithProvider } from './provider-fixture.ts';

const options = { lockTimeoutMs: 2000, statementTimeoutMs: 20_000 };

/** A history no other test shares, so the cache state seen here is this test's own. */
function uniqueHistory() {
  const tag = randomBytes(4).toString('hex');
  return [
    {
      name: '20240101000000_users',
      sql: `create table users (id bigint generated always as identity primary key, email text not null);\ncomment on table users is 'history ${tag}';\n`,
    },
    {
      name: '20240102000000_posts',
      sql: 'create table posts (id bigint primary key, author bigint references users, body text);\n',
    },
  ];
}

const productionOf = (history: Array<{ sql: string }>) => history.map((m) => m.sql).join('');

const addTitle = 'alter table posts add column title text;';

/**
 * A production built from a history of its own, and `preview(branchName)`
 * against it: of adding posts.title over that history unless told otherwise.
 */
async function ownProduction() {
  const history = uniqueHistory();
  const { provider, production } = await productionWithProvider(productionOf(history));
  const preview = (branchName: string, other: { sql?: string; history?: typeof history } = {}) =>
    runPreview({ provider, branchName, sql: other.sql ?? addTitle, history: other.history ?? history, options });
  return { history, production, preview };
}

async function scratchGone(name: string): Promise<boolean> {
  return withClient(inject('adminUrl'), async (admin) => (await databasesWithPrefix(admin, name)).length === 0);
}

async function replayTemplates(): Promise<Array<{ name: string; key: string; migrations: number }>> {
  return withClient(inject('adminUrl'), async (admin) =>
    (await databasesWithPrefix(admin, replayPrefix)).map((db) => ({
      name: db.name,
      ...(db.comment as { key: string; migrations: number }),
    })),
  );
}

describe('replay cache', () => {
  it('replays a history once, then reuses it, and extends it by the promoted migration alone', async () => {
    const { history, production, preview } = await ownProduction();

    const cold = await preview('cold_r1');
    expect(cold.replay).toMatchObject({ ok: true, drift: [], cache: 'built' });
    const warm = await preview('warm_r1');
    expect(warm.replay).toMatchObject({ ok: true, drift: [], cache: 'hit' });
    expect(warm.ok).toBe(true);

    // Production applies one more migration: the cached replay is extended, not rebuilt.
    const promoted = {
      name: '20240103000000_tags',
      sql: 'create table tags (id bigint primary key, label text not null);\n',
    };
    await onProduction(production, promoted.sql);
    const extended = await preview('extended_r1', { history: [...history, promoted] });
    expect(extended.replay).toMatchObject({ ok: true, drift: [], cache: 'extended' });
    expect(await preview('extended_r2', { history: [...history, promoted] })).toMatchObject({
      ok: true,
      replay: { cache: 'hit' },
    });
  });

  it('applies a transactional proposal to the working copy and rolls it back; CONCURRENTLY gets a clone of its own', async () => {
    const { preview } = await ownProduction();
    const add = await preview('work_r1');
    expect(add.replay).toMatchObject({ ok: true, drift: [] });
    const work = add.replay!.database;
    expect(work).toMatch(/^sg_replay_[0-9a-f]{24}_w$/);
    const columns = await withClient(databaseUrl(inject('adminUrl'), work), async (client) =>
      (
        await client.query(`select column_name from information_schema.columns where table_name = 'posts' order by 1`)
      ).rows.map((r) => r.column_name),
    );
    expect(columns).toEqual(['author', 'body', 'id']);

    const concurrent = await preview('work_r2', { sql: 'create index concurrently posts_body on posts (body);' });
    expect(concurrent.replay).toMatchObject({ ok: true, drift: [], cache: 'hit' });
    expect(concurrent.replay!.database).toMatch(/^sg_scratch_/);
    expect(await scratchGone(concurrent.replay!.database)).toBe(true);
  });

  it('still reports a production changed by hand, from a warm cache', async () => {
    const { production, preview } = await ownProduction();
    const first = await preview('hand_r1');
    expect(first.replay).toMatchObject({ ok: true, cache: 'built' });

    await onProduction(production, 'create index posts_author on posts (author)');
    const second = await preview('hand_r2');
    expect(second.replay).toMatchObject({ ok: false, cache: 'hit' });
    expect(second.replay!.drift.map((c) => `${c.kind} ${c.id}`)).toEqual(['removed index public.posts_author']);
    expect(second.ok).toBe(false);
  });

  it('misses the cache when an applied migration file is edited, and replays the edited text', async () => {
    const { history, preview } = await ownProduction();
    const sql = 'alter table users add column name text;';
    expect((await preview('edit_r1', { sql })).replay).toMatchObject({
      ok: true,
      cache: 'built',
    });

    // The same name with other content: production did not run this text, so the replay no longer matches it.
    const edited = [
      history[0]!,
      {
        ...history[1]!,
        sql: 'create table posts (id bigint primary key, author bigint references users, body text, extra int);\n',
      },
    ];
    const result = await preview('edit_r2', { sql, history: edited });
    expect(result.replay).toMatchObject({ ok: false, cache: 'built' });
    expect(result.replay!.drift.map((c) => `${c.kind} ${c.id}`)).toEqual(['added column public.posts.extra']);
  });

  it('reports a history migration that fails and caches nothing for it', async () => {
    const { history, preview } = await ownProduction();
    const broken = [...history, { name: '20240104000000_broken', sql: 'alter table nosuch add column x int;\n' }];
    for (const name of ['broken_r1', 'broken_r2']) {
      const result = await preview(name, { history: broken });
      expect(result.replay).toMatchObject({ ok: false, failed: { name: '20240104000000_broken' }, cache: 'built' });
      expect(result.replay!.failed!.apply.error!.message).toMatch(/relation "nosuch" does not exist/);
    }
    const version = await withClient(inject('adminUrl'), async (admin) =>
      Number((await admin.query(`select current_setting('server_version_num') as v`)).rows[0].v),
    );
    const keys = historyKeys(broken, version);
    expect((await replayTemplates()).map((t) => t.key)).not.toContain(keys[3]);
  });

  it('builds one replay when previews of the same history start together', async () => {
    const { preview } = await ownProduction();
    const results = await Promise.all(['same_r1', 'same_r2', 'same_r3'].map((name) => preview(name)));
    expect(results.map((r) => r.replay?.ok)).toEqual([true, true, true]);
    expect(results.map((r) => r.replay!.cache).sort()).toEqual(['built', 'hit', 'hit']);
  });

  it('keeps the newest replays on the server and drops older ones', async () => {
    const server = inject('adminUrl');
    const names: string[] = [];
    await withClient(server, async (admin) => {
      for (let i = 0; i < 4; i++) {
        const history = [
          {
            name: '20240101000000_one',
            sql: `create table t (id int);\ncomment on table t is 'prune ${i} ${randomBytes(4).toString('hex')}';\n`,
          },
        ];
        const built = await replayTemplate(admin, server, history, { ...options, keep: 2 });
        expect(built).toMatchObject({ ok: true, cache: 'built', applied: 1 });
        names.push((built as { name: string }).name);
      }
    });
    const left = (await replayTemplates()).map((t) => t.name);
    expect(left).toContain(names[3]);
    // Other tests may build replays at the same time: only this test's oldest are known to be gone.
    expect(left).not.toContain(names[0]);
    expect(left).not.toContain(names[1]);
  });

  it('runs the replay alongside the branch and records both steps', async () => {
    const { preview } = await ownProduction();
    const result = await preview('steps_r1');
    expect(result.steps.map((s) => s.name)).toEqual([
      'create_branch',
      'introspect_before',
      'apply',
      'introspect_after',
      'replay',
      'reversibility',
      'cleanup',
    ]);
    expect(result.steps.every((s) => s.ok && s.durationMs >= 0)).toBe(true);
    expect(result.branch!.baseHead).toMatch(/^[0-9a-f]{64}$/);
  });
});
