import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { processNextPreview, type PreviewExecutor } from '../../src/jobs/preview-worker.ts';
import { createTestApp, goodProposal, type TestApp } from '../support/app.ts';
import { createScratchDatabase } from '../support/database.ts';

/** A small real preview: the SQL runs on a scratch database and is rolled back. */
async function rollbackExecutor(): Promise<PreviewExecutor> {
  const scratch = await createScratchDatabase();
  return async (request) => {
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      await client.query('begin');
      await client.query(request.sql);
      return { ok: true, result: { applied: true } };
    } catch (error) {
      return { ok: false, result: { error: (error as Error).message } };
    } finally {
      await client.query('rollback').catch(() => {});
      await client.end();
    }
  };
}

async function propose(app: TestApp, sql = goodProposal.sql) {
  return (await (await app.call('POST', '/api/proposals', { body: { ...goodProposal, sql } })).json()).id as string;
}

async function statusOf(app: TestApp, id: string) {
  return (await (await app.call('GET', `/api/proposals/${id}`)).json()).status;
}

async function eventTypes(app: TestApp, id: string) {
  return (await (await app.call('GET', `/api/proposals/${id}/events`)).json()).items.map(
    (e: { type: string }) => e.type,
  );
}

describe('preview worker', () => {
  it('takes a received proposal to awaiting_review, or preview_failed when the SQL fails', async () => {
    const app = await createTestApp();
    const execute = await rollbackExecutor();
    const good = await propose(app);
    const bad = await propose(app, 'alter table missing add column x int;');
    const deps = { db: app.database.db, execute, worker: 'w1', leaseMs: 10_000 };
    expect(await processNextPreview(deps)).toBe('completed');
    expect(await processNextPreview(deps)).toBe('completed');
    expect(await processNextPreview(deps)).toBe('idle');
    expect(await statusOf(app, good)).toBe('awaiting_review');
    expect(await statusOf(app, bad)).toBe('preview_failed');
    expect(await eventTypes(app, good)).toEqual([
      'proposal.submit',
      'proposal.start_preview',
      'proposal.preview_succeeded',
    ]);
  });

  it('discards a preview overtaken by a revision and previews the revision instead', async () => {
    const app = await createTestApp();
    const id = await propose(app);
    let revised = false;
    const inner = await rollbackExecutor();
    const execute: PreviewExecutor = async (request) => {
      if (!revised) {
        revised = true;
        const res = await app.call('POST', `/api/proposals/${id}/revisions`, {
          body: { sql: 'create table v2 (id bigint primary key);' },
        });
        expect(res.status).toBe(202);
      }
      return inner(request);
    };
    const deps = { db: app.database.db, execute, worker: 'w1', leaseMs: 10_000 };
    expect(await processNextPreview(deps)).toBe('superseded');
    expect(await statusOf(app, id)).toBe('received');
    expect(await processNextPreview(deps)).toBe('completed');
    const { rows } = await app.database.pool.query(
      'select revision, status from schemagate.preview_runs order by created_at',
    );
    expect(rows).toEqual([
      { revision: 1, status: 'superseded' },
      { revision: 2, status: 'succeeded' },
    ]);
    expect(await statusOf(app, id)).toBe('awaiting_review');
  });

  it('lets concurrent workers each claim a different run', async () => {
    const app = await createTestApp();
    const execute = await rollbackExecutor();
    const ids = await Promise.all(Array.from({ length: 6 }, () => propose(app)));
    const workers = Array.from({ length: 3 }, (_, i) => ({
      db: app.database.db,
      execute,
      worker: `w${i}`,
      leaseMs: 10_000,
    }));
    const drain = async (deps: (typeof workers)[number]) => {
      let done = 0;
      while ((await processNextPreview(deps)) !== 'idle') done++;
      return done;
    };
    const counts = await Promise.all(workers.map(drain));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(6);
    for (const id of ids) expect(await statusOf(app, id)).toBe('awaiting_review');
    const { rows } = await app.database.pool.query(
      'select max(attempts)::int as attempts from schemagate.preview_runs',
    );
    expect(rows[0].attempts).toBe(1);
  });

  it('takes over the claim of a worker killed mid-preview and completes the preview once', async () => {
    const app = await createTestApp();
    const id = await propose(app);
    const child = spawn(
      process.execPath,
      [path.join(import.meta.dirname, '../support/preview-worker-child.ts'), app.database.url, '1000'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('claimed') && resolve());
      child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(await statusOf(app, id)).toBe('previewing');

    const deps = { db: app.database.db, execute: await rollbackExecutor(), worker: 'survivor', leaseMs: 10_000 };
    // The dead worker's claim is still valid for up to a second.
    expect(await processNextPreview(deps)).toBe('idle');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await processNextPreview(deps)).toBe('completed');
    expect(await processNextPreview(deps)).toBe('idle');
    expect(await statusOf(app, id)).toBe('awaiting_review');
    expect(await eventTypes(app, id)).toEqual([
      'proposal.submit',
      'proposal.start_preview',
      'preview.taken_over',
      'proposal.preview_succeeded',
    ]);
    const { rows } = await app.database.pool.query('select status, attempts, claimed_by from schemagate.preview_runs');
    expect(rows).toEqual([{ status: 'succeeded', attempts: 2, claimed_by: 'survivor' }]);
  });
});
