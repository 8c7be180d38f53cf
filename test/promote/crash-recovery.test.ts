import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processNextPromotion } from '../../src/promote/promotion-worker.ts';
import { retryPromotion } from '../../src/promote/retry-promotion.ts';
import { until } from '../support/until.ts';
import { exists, ledgerRows, promotionFixture, type PromotionFixture } from './promotion-fixture.ts';

const leaseMs = 1000;

/** Starts a worker process; resolves once it printed `waitFor` (or at once for ''). */
async function startWorker(f: PromotionFixture, stopAt: string, waitFor: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      path.join(import.meta.dirname, 'promotion-worker-child.ts'),
      f.app.database.url,
      f.migratorUrl,
      String(leaseMs),
      stopAt,
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  if (waitFor) {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes(waitFor) && resolve());
      child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
    });
  }
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** A survivor worker once the dead worker's claim expired. */
async function survivor(f: PromotionFixture) {
  await new Promise((resolve) => setTimeout(resolve, leaseMs + 100));
  return processNextPromotion({ ...f.deps, worker: 'survivor' });
}

const counted = 'create table counter (n int);';

describe('a promotion worker killed mid-promotion', () => {
  it('before apply: production is untouched and a survivor takes over and promotes once', async () => {
    const f = await promotionFixture(counted);
    const id = await f.approved('create table k (id int);\ninsert into counter values (1);\n', 'before_apply');
    await kill(await startWorker(f, 'before_apply', 'paused'));
    expect(await f.status(id)).toBe('promoting');
    expect(await exists(f, 'public.k')).toBe(false);

    expect(await survivor(f)).toMatchObject({ outcome: 'promoted', attempt: 2 });
    expect(await f.query('select n from counter')).toEqual([{ n: 1 }]);
    expect(await f.status(id)).toBe('promoted');
    expect(await f.eventTypes(id)).toEqual(
      expect.arrayContaining(['proposal.start_promotion', 'promotion.taken_over', 'proposal.promotion_succeeded']),
    );
  });

  it('mid-transaction: production shows neither the change nor ledger rows, and the re-run applies it', async () => {
    const f = await promotionFixture(counted);
    const id = await f.approved(
      'create table k (id int);\ninsert into counter values (1);\nselect pg_sleep(3);\n',
      'mid_transaction',
    );
    const child = await startWorker(f, 'none', '');
    const sleeping = async () =>
      (
        await f.query(
          `select pid from pg_stat_activity where datname = current_database() and query like 'select pg_sleep(3)%'`,
        )
      ).length > 0;
    await until(sleeping, Boolean, 'the migration to be sleeping', { everyMs: 50, forMs: 10_000 });
    await kill(child);
    // The backend notices its client is gone (client_connection_check_interval) and rolls back.
    await until(sleeping, (still) => !still, 'the killed migration to roll back', { everyMs: 50, forMs: 5000 });
    expect(await exists(f, 'public.k')).toBe(false);
    expect(await f.query('select n from counter')).toEqual([]);
    expect(await ledgerRows(f)).toEqual({ netlify: [], schemagate: [] });

    expect(await survivor(f)).toMatchObject({ outcome: 'promoted' });
    expect(await f.query('select n from counter')).toEqual([{ n: 1 }]);
    expect(await f.status(id)).toBe('promoted');
  });

  it('after commit, before the control plane recorded it: the re-run finds the ledger row and does not apply twice', async () => {
    const f = await promotionFixture(counted);
    const id = await f.approved('create table k (id int);\ninsert into counter values (1);\n', 'after_commit');
    await kill(await startWorker(f, 'after_commit', 'paused'));
    expect(await f.status(id)).toBe('promoting');
    expect((await ledgerRows(f)).netlify).toHaveLength(1);

    const result = await survivor(f);
    expect(result).toMatchObject({ outcome: 'already_applied' });
    expect(result!.apply).toBeUndefined();
    expect(await f.query('select n from counter')).toEqual([{ n: 1 }]);
    expect(await f.status(id)).toBe('promoted');
  });

  it('between non-transactional steps: the re-run skips the completed steps and finishes the rest', async () => {
    const f = await promotionFixture(counted);
    const sql = [
      'create table s (id int, v int);',
      'insert into s select g, g from generate_series(1, 1000) g;',
      'create index concurrently s_v on s (v);',
      'insert into counter values (1);',
      'create index concurrently s_id on s (id);',
      '',
    ].join('\n');
    const id = await f.approved(sql, 'steps');
    await kill(await startWorker(f, 'after_step:2', 'paused'));
    const done = await f.query<{ statement_index: number }>(
      'select statement_index from schemagate.ledger_steps order by 1',
    );
    expect(done.map((r) => r.statement_index)).toEqual([0, 1, 2]);
    expect((await ledgerRows(f)).netlify).toEqual([]);

    const result = await survivor(f);
    expect(result).toMatchObject({ outcome: 'promoted', apply: { mode: 'steps', ok: true } });
    expect(result!.apply!.steps.map((s) => s.status)).toEqual(['skipped', 'skipped', 'skipped', 'applied', 'applied']);
    expect(await f.query('select count(*)::int as n from s')).toEqual([{ n: 1000 }]);
    expect(await f.query('select n from counter')).toEqual([{ n: 1 }]);
    expect(
      await f.query(
        `select indexrelid::regclass::text as name from pg_index where indrelid = 's'::regclass and indisvalid order by 1`,
      ),
    ).toEqual([{ name: 's_id' }, { name: 's_v' }]);
    expect((await ledgerRows(f)).netlify).toHaveLength(1);
    expect(await f.status(id)).toBe('promoted');
  });

  it('drops the INVALID index a failed concurrent build left before building it again', async () => {
    const f = await promotionFixture("create table u (id int, email text); insert into u values (1, 'a'), (2, 'a');");
    const id = await f.approved(
      'alter table u add column note text;\ncreate unique index concurrently u_email on u (email);\n',
      'unique_email',
    );
    const failed = await processNextPromotion(f.deps);
    expect(failed).toMatchObject({
      outcome: 'promotion_failed',
      completedSteps: [0],
      error: { migration: { code: '23505', statementIndex: 1 } },
    });
    expect(failed!.apply!.steps.map((s) => s.status)).toEqual(['applied', 'failed']);
    expect(await f.query(`select indisvalid from pg_index where indexrelid = 'u_email'::regclass`)).toEqual([
      { indisvalid: false },
    ]);

    // The operator removes the duplicate and retries: step 0 is not run again, the invalid index is replaced.
    await f.production.pool.query(`delete from u where id = 2`);
    await retryPromotion(f.app.database.db, id);
    const retried = await processNextPromotion(f.deps);
    expect(retried).toMatchObject({ outcome: 'promoted' });
    expect(retried!.apply!.steps).toMatchObject([
      { status: 'skipped' },
      { status: 'applied', droppedInvalidIndex: 'u_email' },
    ]);
    expect(await f.query(`select indisvalid from pg_index where indexrelid = 'u_email'::regclass`)).toEqual([
      { indisvalid: true },
    ]);
  });
  it('records a concurrent index an interrupted run built but did not record, without building it again', async () => {
    const f = await promotionFixture(
      'create table s (id int, v int); insert into s select g, g from generate_series(1, 100) g;',
    );
    const id = await f.approved(
      'create index concurrently s_v on s (v);\ncreate index concurrently s_id on s (id);\n',
      'two_indexes',
    );
    await kill(await startWorker(f, 'after_step:0', 'paused'));
    // What a worker killed after building s_id, before recording the step, leaves behind.
    await f.production.pool.query('create index concurrently s_id on s (id)');

    const result = await survivor(f);
    expect(result).toMatchObject({ outcome: 'promoted' });
    expect(result!.apply!.steps).toMatchObject([{ status: 'skipped' }, { status: 'applied', foundValidIndex: 's_id' }]);
    expect(await f.status(id)).toBe('promoted');
  });
});
