import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, expect } from 'vitest';
import { processNextPreview } from '../../src/jobs/preview-worker.ts';
import { readProductionHead } from '../../src/preview/production-head.ts';
import type { PromoteDeps } from '../../src/promote/promote.ts';
import { setupProductionRole } from '../../src/promote/production-role.ts';
import { publishLocalReview } from '../../src/review/local-review.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createScratchDatabase, testRoleName, type TestDatabase } from '../support/database.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

export interface PromotionFixture {
  app: TestApp;
  /** Production with admin rights (`production.url` is a superuser's): for setting up and inspecting. */
  production: TestDatabase;
  /** Production as its migrator, set up by `production setup`: what promotions use (`deps.productionUrl`). */
  migratorUrl: string;
  repositoryDir: string;
  deps: PromoteDeps;
  /** Proposes the SQL, previews it against production as it is now, and approves it; returns the proposal id. */
  approved(sql: string, name: string): Promise<string>;
  /** Previews the current revision again (after `stale`) and approves it. */
  repreviewAndApprove(id: string): Promise<void>;
  query<T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  status(id: string): Promise<string>;
  eventTypes(id: string): Promise<string[]>;
}

/**
 * A control plane, an empty "production" database (plus `setupSql`, then
 * handed to a migrator role of its own through setupProductionRole) and a
 * local review checkout; proposals are previewed by a stub that records
 * production's real head, and approved by a local reviewer.
 */
export async function promotionFixture(setupSql = '', overrides: Partial<PromoteDeps> = {}): Promise<PromotionFixture> {
  const app = await createTestApp();
  const production = await createScratchDatabase();
  if (setupSql) await production.pool.query(setupSql);
  const migrator = await setupProductionRole(production.url, { role: testRoleName() });
  expect(migrator.problems).toEqual([]);
  const repositoryDir = await mkdtemp(path.join(tmpdir(), 'sg-promote-repo-'));
  dirs.push(repositoryDir);
  const reviewer = await app.newReviewer('dana');

  const preview = async () => {
    const result = await processNextPreview({
      db: app.database.db,
      worker: 'previewer',
      leaseMs: 10_000,
      execute: async () => {
        const client = await production.pool.connect();
        try {
          return {
            ok: true,
            result: { applied: true },
            riskClass: 'low',
            productionHead: (await readProductionHead(client)).head,
          };
        } finally {
          client.release();
        }
      },
      publish: async (proposalId) => {
        await publishLocalReview(app.database.db, { repositoryDir, proposalId, now: new Date() });
      },
    });
    expect(result).toBe('completed');
  };
  const approve = async (id: string) => {
    const res = await app.call('POST', `/api/proposals/${id}/reviews`, { token: reviewer, body: { state: 'approve' } });
    expect(res.status, await res.clone().text()).toBe(201);
    expect((await res.json()).status).toBe('approved');
  };

  const deps: PromoteDeps = {
    db: app.database.db,
    productionUrl: migrator.url,
    timeouts: { lockTimeoutMs: 2000, statementTimeoutMs: 30_000 },
    worker: 'promoter',
    leaseMs: 10_000,
    repositoryDir,
    lockWaitMs: 20_000,
    ...overrides,
  };
  const query = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
    (await production.pool.query<T>(sql, params)).rows;
  return {
    app,
    production,
    migratorUrl: migrator.url,
    repositoryDir,
    deps,
    query,
    approved: async (sql, name) => {
      const res = await app.call('POST', '/api/proposals', { body: { title: name, sql, name } });
      expect(res.status, await res.clone().text()).toBe(202);
      const { id } = await res.json();
      await preview();
      await approve(id);
      return id as string;
    },
    repreviewAndApprove: async (id) => {
      await preview();
      await approve(id);
    },
    status: async (id) => (await (await app.call('GET', `/api/proposals/${id}`)).json()).status,
    eventTypes: async (id) =>
      (await (await app.call('GET', `/api/proposals/${id}/events`)).json()).items.map((e: { type: string }) => e.type),
  };
}

/** Whether a relation exists in production. */
export async function exists(fixture: PromotionFixture, relation: string): Promise<boolean> {
  const [row] = await fixture.query<{ oid: string | null }>('select to_regclass($1)::text as oid', [relation]);
  return row?.oid !== null && row?.oid !== undefined;
}

/** The two ledgers' rows in production (empty when the ledgers do not exist yet). */
export async function ledgerRows(
  fixture: PromotionFixture,
): Promise<{ netlify: string[]; schemagate: Array<{ name: string; sha256: string; approvers: string[] }> }> {
  if (!(await exists(fixture, 'schemagate.ledger'))) return { netlify: [], schemagate: [] };
  const netlify = (await fixture.query<{ name: string }>('select name from netlify.migrations order by name')).map(
    (r) => r.name,
  );
  const schemagate = await fixture.query<{ name: string; sha256: string; approvers: string[] }>(
    'select name, sha256, approvers from schemagate.ledger order by name',
  );
  return { netlify, schemagate };
}
