import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalWorker } from '../../src/server/local-worker.ts';
import { createTestApp, goodProposal, type TestApp } from '../support/app.ts';
import { createScratchDatabase } from '../support/database.ts';
import { until } from '../support/until.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function propose(app: TestApp, title: string): Promise<string> {
  const res = await app.call('POST', '/api/proposals', { body: { ...goodProposal, title } });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

const claimedBy = async (app: TestApp, proposalId: string) =>
  (
    await app.database.pool.query<{ claimed_by: string | null }>(
      'select claimed_by from schemagate.preview_runs where proposal_id = $1',
      [proposalId],
    )
  ).rows[0]?.claimed_by ?? null;

describe('the local worker', () => {
  it('starts a preview queued while another runs at once, woken by the transaction that queued it', async () => {
    const app = await createTestApp();
    const production = await createScratchDatabase();
    const repositoryDir = await mkdtemp(path.join(tmpdir(), 'sg-worker-'));
    cleanups.push(() => rm(repositoryDir, { recursive: true, force: true }));
    const config = {
      ...app.deps.config,
      productionUrl: production.url,
      review: { ...app.deps.config.review, provider: 'local' as const, repositoryDir },
    };
    const first = await propose(app, 'first');

    // Hold the first proposal's row: the preview that claims it waits inside its start, still running.
    const holder = new pg.Client({ connectionString: app.database.url });
    await holder.connect();
    cleanups.push(() => holder.end());
    await holder.query('begin');
    await holder.query('select 1 from schemagate.proposals where id = $1 for update', [first]);

    const worker = startLocalWorker(config, app.database.url, () => {}, { pollMs: 600_000, previewConcurrency: 2 });
    cleanups.push(() => worker.stop());
    // Released before the worker stops (cleanups run last first): stopping waits for the held preview.
    cleanups.push(() => holder.query('rollback'));
    await worker.ready;
    await until(
      () => claimedBy(app, first),
      (worker) => worker !== null,
      'the first preview to be claimed',
    );
    // The other drainer looked too, found nothing and stopped; let it.
    await new Promise((resolve) => setTimeout(resolve, 500));

    // No poll comes within the bound, and the test's API has no kick: only the notification sent as the
    // proposal's transaction commits can wake the worker, and only an idle drainer can take the work.
    const second = await propose(app, 'second');
    await until(
      () => claimedBy(app, second),
      (worker) => worker !== null,
      'the second preview to be claimed while the first waits',
    );
    expect(app.deps.kickJobs).toBeUndefined();
  });
});
