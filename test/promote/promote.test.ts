import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { promoteCommand } from '../../src/cli/commands/promote.ts';
import { readProductionHead } from '../../src/preview/production-head.ts';
import { withClient } from '../../src/database/server-admin.ts';
import { processNextPromotion } from '../../src/promote/promotion-worker.ts';
import { retryPromotion } from '../../src/promote/retry-promotion.ts';
import { exists, ledgerRows, promotionFixture } from './promotion-fixture.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('promotion', () => {
  it('applies an approved migration with both ledger rows and moves the proposal to promoted', async () => {
    const f = await promotionFixture();
    const sql = 'create table notes (id bigint primary key, body text not null);\n';
    const id = await f.approved(sql, 'add_notes');
    const result = await processNextPromotion(f.deps);
    expect(result).toMatchObject({
      outcome: 'promoted',
      lockRetries: 0,
      apply: { ok: true, mode: 'transaction' },
      head: { ok: true },
    });
    expect(await processNextPromotion(f.deps)).toBeUndefined();
    expect(await exists(f, 'public.notes')).toBe(true);

    const [{ migration_path: migrationPath }] = (
      await f.app.database.pool.query('select migration_path from schemagate.proposals where id = $1', [id])
    ).rows;
    const name = path.basename(migrationPath, '.sql');
    expect(result!.name).toBe(name);
    expect(await ledgerRows(f)).toEqual({
      netlify: [name],
      schemagate: [{ name, sha256: sha(sql), approvers: ['dana'] }],
    });
    const [ledger] = await f.query('select proposal_id, revision, duration_ms from schemagate.ledger');
    expect(ledger).toMatchObject({ proposal_id: id, revision: 1 });

    expect(await f.status(id)).toBe('promoted');
    expect((await f.eventTypes(id)).slice(-2)).toEqual(['proposal.start_promotion', 'proposal.promotion_succeeded']);
    const { rows: events } = await f.app.database.pool.query(
      `select data from schemagate.audit_events where proposal_id = $1 and type = 'proposal.promotion_succeeded'`,
      [id],
    );
    expect(events[0].data).toMatchObject({
      name,
      sha256: sha(sql),
      lock_retries: 0,
      mode: 'transaction',
      timings_ms: { lockWaitMs: expect.any(Number), applyMs: expect.any(Number), totalMs: expect.any(Number) },
    });
    const { rows: runs } = await f.app.database.pool.query(
      'select status, result from schemagate.promotions where proposal_id = $1',
      [id],
    );
    expect(runs).toEqual([{ status: 'succeeded', result: expect.objectContaining({ outcome: 'promoted' }) }]);
  });

  it('fails with the Postgres error located in the file and leaves production untouched', async () => {
    const f = await promotionFixture();
    const id = await f.approved(
      'create table a (id int);\ninsert into a values (1);\nalter table missing add column x int;\n',
      'broken',
    );
    const result = await processNextPromotion(f.deps);
    expect(result).toMatchObject({
      outcome: 'promotion_failed',
      productionUntouched: true,
      error: { reason: 'migration_failed', migration: { code: '42P01', line: 3, column: 1, statementIndex: 2 } },
    });
    expect(result!.apply!.steps.map((s) => s.status)).toEqual(['rolled_back', 'rolled_back', 'failed']);
    expect(await f.status(id)).toBe('promotion_failed');
    expect(await exists(f, 'public.a')).toBe(false);
    expect(await ledgerRows(f)).toEqual({ netlify: [], schemagate: [] });
  });

  it('refuses SQL changed in the control plane after approval, and applies nothing', async () => {
    const f = await promotionFixture();
    const id = await f.approved('create table safe (id int);\n', 'safe');
    await f.app.database.pool.query(
      `update schemagate.proposal_revisions set sql = 'drop table if exists important; create table safe (id int);' where proposal_id = $1`,
      [id],
    );
    const result = await processNextPromotion(f.deps);
    expect(result).toMatchObject({ outcome: 'promotion_failed', error: { reason: 'tampered' } });
    expect(result!.error!.message).toMatch(/revision sha256 mismatch/);
    expect(result!.apply).toBeUndefined();
    expect(await exists(f, 'public.safe')).toBe(false);
    expect(await f.status(id)).toBe('promotion_failed');
  });

  it('refuses a local migration file changed after approval', async () => {
    const f = await promotionFixture();
    const id = await f.approved('create table safe (id int);\n', 'safe');
    const [{ migration_path: migrationPath }] = (
      await f.app.database.pool.query('select migration_path from schemagate.proposals where id = $1', [id])
    ).rows;
    await writeFile(path.join(f.repositoryDir, migrationPath), 'create table safe (id int);\ndrop table important;\n');
    const result = await processNextPromotion(f.deps);
    expect(result).toMatchObject({ outcome: 'promotion_failed', error: { reason: 'tampered' } });
    expect(result!.checks.find((c) => c.check === 'migration_file')).toMatchObject({
      ok: false,
      message: expect.stringContaining('changed after it was approved'),
    });
    expect(await exists(f, 'public.safe')).toBe(false);
    expect(await ledgerRows(f)).toEqual({ netlify: [], schemagate: [] });
  });

  it('marks the proposal stale and queues a preview when production moved after the preview', async () => {
    const f = await promotionFixture();
    const id = await f.approved('create table later (id int);\n', 'later');
    await f.production.pool.query('create table hotfix (id int)');
    const result = await processNextPromotion(f.deps);
    expect(result).toMatchObject({ outcome: 'stale', head: { ok: false } });
    expect(await exists(f, 'public.later')).toBe(false);
    expect(await f.status(id)).toBe('stale');
    const { rows } = await f.app.database.pool.query(
      `select id, revision, status from schemagate.preview_runs where proposal_id = $1 order by created_at`,
      [id],
    );
    expect(rows.map((r) => r.status)).toEqual(['succeeded', 'queued']);
    expect(result!.previewQueued).toBe(rows[1].id);

    // The queued preview sees the new head; once approved again, the promotion applies.
    await f.repreviewAndApprove(id);
    expect(await processNextPromotion(f.deps)).toMatchObject({ outcome: 'promoted' });
    expect(await exists(f, 'public.later')).toBe(true);
  });

  it('promotes once when two promotions of one proposal are claimed at once', async () => {
    const f = await promotionFixture('create table counter (n int);');
    const id = await f.approved('create table once (id int);\ninsert into counter values (1);\n', 'once');
    // A duplicate delivery of the approval: a second queued promotion of the same revision.
    await f.app.database.pool.query(
      `insert into schemagate.promotions (proposal_id, revision, sha256, status) select proposal_id, revision, sha256, 'queued' from schemagate.promotions where proposal_id = $1`,
      [id],
    );
    const results = await Promise.all([
      processNextPromotion({ ...f.deps, worker: 'w1' }),
      processNextPromotion({ ...f.deps, worker: 'w2' }),
    ]);
    expect(results.map((r) => r!.outcome).sort()).toEqual(['already_applied', 'promoted']);
    expect(await f.query('select n from counter')).toEqual([{ n: 1 }]);
    expect(await f.status(id)).toBe('promoted');
    expect((await f.eventTypes(id)).filter((t) => t === 'proposal.promotion_succeeded')).toHaveLength(1);
  });

  it('lets an operator retry a failed promotion, and only a failed one', async () => {
    const f = await promotionFixture();
    const id = await f.approved('create table r (id int);\n', 'retry_me');
    const env = { DATABASE_URL: f.app.database.url };
    let stdout = '';
    const io = { stdout: (t: string) => void (stdout += t), stderr: () => {}, env, cwd: '/nonexistent' };
    await expect(promoteCommand(['--retry', id], io)).rejects.toMatchObject({ code: 'illegal_transition' });

    // Production unreachable: nothing applied, the operator retries once it is back.
    const unreachable = await processNextPromotion({
      ...f.deps,
      productionUrl: 'postgres://postgres@127.0.0.1:1/none',
    });
    expect(unreachable).toMatchObject({ outcome: 'promotion_failed', error: { reason: 'production_unreachable' } });
    expect(await f.status(id)).toBe('promotion_failed');
    expect(await promoteCommand(['--retry', id, '--json'], io)).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ proposal_id: id, status: 'queued', revision: 1 });
    await expect(retryPromotion(f.app.database.db, id)).rejects.toMatchObject({ code: 'conflict' });
    expect(await processNextPromotion(f.deps)).toMatchObject({ outcome: 'promoted' });
    expect(await f.status(id)).toBe('promoted');
    expect(await f.eventTypes(id)).toEqual(
      expect.arrayContaining(['promotion.retry_queued', 'proposal.promotion_failed', 'proposal.promotion_succeeded']),
    );
  });

  it('refuses a superuser production URL before applying anything, and promotes on a retry through the migrator', async () => {
    const f = await promotionFixture('create table kept (id int);');
    const id = await f.approved('create table notes (id int);\ninsert into kept values (1);\n', 'as_superuser');
    const head = async () => (await withClient(f.production.url, readProductionHead)).head;
    const before = await head();

    const refused = await processNextPromotion({ ...f.deps, productionUrl: f.production.url });
    expect(refused).toMatchObject({
      outcome: 'promotion_failed',
      error: {
        reason: 'production_role_too_powerful',
        problems: expect.arrayContaining([expect.objectContaining({ what: 'superuser' })]),
      },
    });
    const user = decodeURIComponent(new URL(f.production.url).username);
    expect(refused!.error!.message).toContain(`production role ${user} is too powerful`);
    expect(refused!.error!.message).toContain('schemagate production setup --admin-url');
    expect(refused!.error!.message).toContain(`schemagate promote --retry ${id}`);
    expect(refused!.apply).toBeUndefined();
    expect(await head()).toBe(before);
    expect(await exists(f, 'public.notes')).toBe(false);
    expect(await f.query('select id from kept')).toEqual([]);
    expect(await ledgerRows(f)).toEqual({ netlify: [], schemagate: [] });
    expect(await f.status(id)).toBe('promotion_failed');

    // The operator fixes PRODUCTION_DATABASE_URL and retries.
    await retryPromotion(f.app.database.db, id);
    expect(await processNextPromotion(f.deps)).toMatchObject({ outcome: 'promoted' });
    expect(await f.query('select id from kept')).toEqual([{ id: 1 }]);
    expect((await ledgerRows(f)).netlify).toHaveLength(1);
  });

  it('refuses a migrator that does not own every application schema, with its own reason', async () => {
    const f = await promotionFixture();
    const id = await f.approved('create table notes (id int);\n', 'not_owner');
    await f.production.pool.query('create schema billing');
    const refused = await processNextPromotion(f.deps);
    expect(refused).toMatchObject({
      outcome: 'promotion_failed',
      error: { reason: 'production_role_not_owner', message: expect.stringContaining('schema billing is owned by') },
    });
    expect(await exists(f, 'public.notes')).toBe(false);
    expect(await f.status(id)).toBe('promotion_failed');
  });

  it('tells agents a failed migration by SQLSTATE and position, without the row data Postgres quotes', async () => {
    const f = await promotionFixture(
      "create table members (id int, email text); insert into members values (1, 'ceo@secret.example'), (2, 'ceo@secret.example');",
    );
    const id = await f.approved('alter table members add constraint members_email unique (email);\n', 'unique_email');
    const result = await processNextPromotion(f.deps);
    expect(result).toMatchObject({
      outcome: 'promotion_failed',
      error: { reason: 'migration_failed', migration: { code: '23505', line: 1, column: 1, withheld: ['detail'] } },
    });
    // What an agent can read: the promotion result, the proposal and its audit trail.
    const proposal = await (await f.app.call('GET', `/api/proposals/${id}`)).json();
    const events = await (await f.app.call('GET', `/api/proposals/${id}/events`)).json();
    const seen = JSON.stringify([result, proposal, events]);
    expect(seen).toContain('members_email');
    expect(seen).toContain('23505');
    expect(seen).not.toContain('secret.example');
  });
});
