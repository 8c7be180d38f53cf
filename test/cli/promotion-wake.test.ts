import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listenForJobs } from '../../src/queue/job-signal.ts';
import { processNextPreview } from '../../src/jobs/preview-worker.ts';
import { publishLocalReview } from '../../src/review/local-review.ts';
import { startLocalWorker } from '../../src/server/local-worker.ts';
import { createTestApp, goodProposal, type TestApp } from '../support/app.ts';
import { runCli } from '../support/cli.ts';
import { createScratchDatabase } from '../support/database.ts';
import { until } from '../support/until.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A proposal previewed and under local review, and the CLI environment of an operator on its control plane. */
async function underReview() {
  const app = await createTestApp();
  const repositoryDir = await mkdtemp(path.join(tmpdir(), 'sg-wake-'));
  cleanups.push(() => rm(repositoryDir, { recursive: true, force: true }));
  const { id } = (await (await app.call('POST', '/api/proposals', { body: goodProposal })).json()) as { id: string };
  const previewed = await processNextPreview({
    db: app.database.db,
    worker: 'test',
    leaseMs: 10_000,
    execute: async () => ({ ok: true, result: { applied: true }, riskClass: 'low' }),
    publish: async (proposalId) =>
      void (await publishLocalReview(app.database.db, { repositoryDir, proposalId, now: new Date() })),
  });
  expect(previewed).toBe('completed');
  await app.newReviewer('dana');
  const env = { DATABASE_URL: app.database.url, HOME: repositoryDir, SCHEMAGATE_REPOSITORY_DIR: repositoryDir };
  return { app, id, env, repositoryDir };
}

/** Notifications on the jobs channel, each with the promotions the notified listener could already see. */
async function listen(app: TestApp) {
  const woken: Array<Promise<number>> = [];
  const listener = listenForJobs(
    app.database.url,
    () => woken.push(queuedPromotions(app)),
    () => {},
  );
  cleanups.push(() => listener.stop());
  await listener.ready;
  // The listener looks once as soon as it listens; that is not a notification.
  await woken.shift();
  return woken;
}

/** Once a notification came: what each notified listener saw. */
async function notified(woken: Array<Promise<number>>): Promise<number[]> {
  await until(
    async () => woken.length,
    (n) => n >= 1,
    'a notification',
  );
  return Promise.all(woken);
}

const queuedPromotions = async (app: TestApp) =>
  Number(
    (await app.database.pool.query("select count(*) from schemagate.promotions where status = 'queued'")).rows[0].count,
  );

const promotionStatuses = async (app: TestApp, id: string) =>
  (
    await app.database.pool.query<{ status: string }>(
      'select status from schemagate.promotions where proposal_id = $1 order by created_at',
      [id],
    )
  ).rows.map((r) => r.status);

describe('a queued promotion wakes the workers', () => {
  it('review approve from the CLI notifies once the promotion is committed, and not for a change request', async () => {
    const { app, id, env, repositoryDir } = await underReview();
    const woken = await listen(app);
    const asked = await runCli(['review', 'request-changes', id, '--as', 'dana'], env, repositoryDir);
    expect(asked.code, asked.stderr).toBe(0);
    const approved = await runCli(['review', 'approve', id, '--as', 'dana'], env, repositoryDir);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toContain('is approved');
    // Sent inside the transaction: whoever it woke already sees the promotion.
    expect(await notified(woken)).toEqual([1]);
  });

  it('an approval through the API notifies as well, whatever wakes the background function', async () => {
    const { app, id } = await underReview();
    const woken = await listen(app);
    const reviewer = await app.newReviewer('eli');
    const res = await app.call('POST', `/api/proposals/${id}/reviews`, { token: reviewer, body: { state: 'approve' } });
    expect(res.status).toBe(201);
    expect(app.deps.kickJobs).toBeUndefined(); // the test app has no kick: the notification is the transaction's own
    expect(await notified(woken)).toEqual([1]);
  });

  it('a worker that only polls every ten minutes starts the promotion after review approve, and again after promote --retry', async () => {
    const { app, id, env, repositoryDir } = await underReview();
    const production = await createScratchDatabase();
    const config = {
      ...app.deps.config,
      productionUrl: production.url,
      review: { ...app.deps.config.review, provider: 'local' as const, repositoryDir },
    };
    const worker = startLocalWorker(config, app.database.url, () => {}, { pollMs: 600_000 });
    cleanups.push(() => worker.stop());
    await worker.ready;
    // Let the look it takes once listening end with nothing queued, so only a notification can start the work.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await promotionStatuses(app, id)).toEqual([]);

    expect((await runCli(['review', 'approve', id, '--as', 'dana'], env, repositoryDir)).code).toBe(0);
    const first = await until(
      () => promotionStatuses(app, id),
      (s) => s.length === 1 && s[0] !== 'queued' && s[0] !== 'running',
      'the promotion to finish',
    );
    // Promotions refuse a production reached as a superuser: it fails, and an operator retries it.
    expect(first).toEqual(['failed']);
    const retried = await runCli(['promote', '--retry', id, '--json'], env, repositoryDir);
    expect(retried.code, retried.stderr).toBe(0);
    await until(
      () => promotionStatuses(app, id),
      (s) => s.length === 2 && s[1] !== 'queued',
      'the retried promotion to start',
    );
  });
});
