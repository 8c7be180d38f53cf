import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processNextPreview } from '../../src/jobs/preview-worker.ts';
import { publishLocalReview } from '../../src/review/local-review.ts';
import { createTestApp, goodProposal, type TestApp } from '../support/app.ts';
import { runCli } from '../support/cli.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const migrations = 'netlify/database/migrations';

/** An app whose previews succeed with the given risk class and publish into a temporary repository. */
async function setUp(riskClass = 'low') {
  const app = await createTestApp();
  const repositoryDir = await mkdtemp(path.join(tmpdir(), 'sg-repo-'));
  dirs.push(repositoryDir);
  app.deps.config = { ...app.deps.config, review: { ...app.deps.config.review, provider: 'local', repositoryDir } };
  const preview = () =>
    processNextPreview({
      db: app.database.db,
      worker: 'w',
      leaseMs: 10_000,
      execute: async () => ({ ok: true, result: { applied: true }, riskClass }),
      publish: async (proposalId) => {
        await publishLocalReview(app.database.db, { repositoryDir, proposalId, now: new Date('2026-11-24T10:30:00Z') });
      },
    });
  const propose = async (body: object = goodProposal) => {
    const { id } = await (await app.call('POST', '/api/proposals', { body })).json();
    expect(await preview()).toBe('completed');
    return id as string;
  };
  return { app, repositoryDir, preview, propose };
}

const review = (app: TestApp, id: string, token: string, body: object) =>
  app.call('POST', `/api/proposals/${id}/reviews`, { token, body });
const get = async (app: TestApp, id: string) => (await app.call('GET', `/api/proposals/${id}`)).json();
const promotionsOf = async (app: TestApp, id: string) =>
  (
    await app.database.pool.query('select revision, sha256, status from schemagate.promotions where proposal_id = $1', [
      id,
    ])
  ).rows;

describe('local review', () => {
  it('writes the exact SQL into the migrations directory, pinned by its sha256', async () => {
    const { app, repositoryDir, propose } = await setUp();
    const id = await propose();
    const files = await readdir(path.join(repositoryDir, migrations));
    expect(files).toEqual(['20261124103000_add_orders_table.sql']);
    const bytes = await readFile(path.join(repositoryDir, migrations, files[0]!));
    expect(bytes.toString()).toBe(goodProposal.sql);
    const proposal = await get(app, id);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(proposal.revision.sha256);
    const second = await propose({ ...goodProposal, title: 'Other', name: 'other' });
    expect(await get(app, second)).toMatchObject({ status: 'awaiting_review' });
    expect((await readdir(path.join(repositoryDir, migrations))).sort()).toEqual([
      '20261124103000_add_orders_table.sql',
      '20261124103001_other.sql',
    ]);
  });

  it('approves on one review for a low-risk change and queues the promotion of exactly that revision', async () => {
    const { app, propose } = await setUp('low');
    const id = await propose();
    const dana = await app.newReviewer('dana');
    const res = await review(app, id, dana, { state: 'approve', comment: 'looks safe' });
    expect(res.status, JSON.stringify(app.logged.map(String))).toBe(201);
    expect(await res.json()).toMatchObject({
      status: 'approved',
      approval: { satisfied: true, approved_by: ['dana'], required: 1 },
    });
    const proposal = await get(app, id);
    expect(await promotionsOf(app, id)).toEqual([{ revision: 1, sha256: proposal.revision.sha256, status: 'queued' }]);
  });

  it('shows where the proposal stands against the policy: approvals needed, who approved, what blocks', async () => {
    const { app, propose } = await setUp('high');
    const id = await propose();
    expect((await get(app, id)).approval).toEqual({
      required: 2,
      reviewers: null,
      approved_by: [],
      changes_requested_by: [],
      ignored: [],
      satisfied: false,
      blocking: ['2 more approvals needed'],
    });
    await review(app, id, await app.newReviewer('dana'), { state: 'approve' });
    await review(app, id, await app.newReviewer('eli'), { state: 'request_changes', comment: 'add an index first' });
    expect((await get(app, id)).approval).toMatchObject({
      approved_by: ['dana'],
      changes_requested_by: ['eli'],
      satisfied: false,
      blocking: ['changes requested by eli', '1 more approval needed'],
    });

    const forbidden = await setUp('forbidden');
    const blocked = await forbidden.propose();
    expect((await get(forbidden.app, blocked)).approval).toMatchObject({
      required: null,
      satisfied: false,
      blocking: [expect.stringMatching(/^forbidden: /)],
    });
  });

  it('needs two different reviewers for a high-risk change', async () => {
    const { app, propose } = await setUp('high');
    const id = await propose();
    const dana = await app.newReviewer('dana');
    const eli = await app.newReviewer('eli');
    await review(app, id, dana, { state: 'approve' });
    const again = await (await review(app, id, dana, { state: 'approve' })).json();
    expect(again).toMatchObject({
      status: 'awaiting_review',
      approval: { satisfied: false, approved_by: ['dana'], required: 2 },
    });
    const second = await (await review(app, id, eli, { state: 'approve' })).json();
    expect(second).toMatchObject({ status: 'approved', approval: { approved_by: ['dana', 'eli'] } });
  });

  it('never approves a forbidden change', async () => {
    const { app, propose } = await setUp('forbidden');
    const id = await propose();
    for (const name of ['a1', 'a2', 'a3']) await review(app, id, await app.newReviewer(name), { state: 'approve' });
    expect((await get(app, id)).status).toBe('awaiting_review');
    expect(await promotionsOf(app, id)).toEqual([]);
  });

  it('moves to changes_requested, and a revision voids every earlier approval', async () => {
    const { app, propose, preview } = await setUp('high');
    const id = await propose();
    const dana = await app.newReviewer('dana');
    const eli = await app.newReviewer('eli');
    await review(app, id, dana, { state: 'approve' });
    const blocked = await (await review(app, id, eli, { state: 'request_changes', comment: 'add an index' })).json();
    expect(blocked).toMatchObject({ status: 'changes_requested', approval: { changes_requested_by: ['eli'] } });

    const revised = await app.call('POST', `/api/proposals/${id}/revisions`, {
      body: { sql: 'create table orders (id bigint primary key);\n' },
    });
    expect(revised.status).toBe(202);
    expect(await preview()).toBe('completed');
    const after = await (await review(app, id, eli, { state: 'approve' })).json();
    // Dana approved revision 1; only Eli's approval of revision 2 counts.
    expect(after).toMatchObject({ status: 'awaiting_review', approval: { approved_by: ['eli'] } });
  });

  it('refuses a review of a revision the reviewer did not read, and reviews before the preview', async () => {
    const { app, propose } = await setUp();
    const id = await propose();
    const dana = await app.newReviewer('dana');
    const stale = await review(app, id, dana, { state: 'approve', sha256: '0'.repeat(64) });
    expect(stale.status).toBe(409);
    expect((await stale.json()).error.code).toBe('conflict');

    const { id: fresh } = await (await app.call('POST', '/api/proposals', { body: goodProposal })).json();
    const early = await review(app, fresh, dana, { state: 'approve' });
    expect(early.status).toBe(409);
    expect((await get(app, id)).status).toBe('awaiting_review');
  });

  it('takes reviews only from reviewer tokens, with valid bodies', async () => {
    const { app, propose } = await setUp();
    const id = await propose();
    expect((await review(app, id, app.token, { state: 'approve' })).status).toBe(403);
    const dana = await app.newReviewer('dana');
    const bad = await review(app, id, dana, { state: 'lgtm', extra: 1 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details.issues).toHaveLength(2);
    expect((await review(app, '00000000-0000-4000-8000-000000000000', dana, { state: 'approve' })).status).toBe(404);
  });

  it('ends the proposal when a reviewer rejects it', async () => {
    const { app, propose } = await setUp();
    const id = await propose();
    const res = await (
      await review(app, id, await app.newReviewer('dana'), { state: 'reject', comment: 'not this way' })
    ).json();
    expect(res.status).toBe('rejected');
    const events = (await (await app.call('GET', `/api/proposals/${id}/events`)).json()).items.map(
      (e: { type: string }) => e.type,
    );
    expect(events.slice(-2)).toEqual(['review.submitted', 'proposal.reject']);
  });
});

describe('schemagate review', () => {
  it("records a local reviewer's verdict from the command line", async () => {
    const { app, propose } = await setUp('low');
    const id = await propose();
    await app.newReviewer('dana');
    const env = { DATABASE_URL: app.database.url };
    const asAgent = await runCli(['review', 'approve', id, '--as', 'agent-1'], env);
    expect(asAgent.code).toBe(1);
    expect(asAgent.stderr).toContain('no active reviewer named "agent-1"');
    expect((await runCli(['review', 'approve', id], env)).code).toBe(2);
    const approved = await runCli(['review', 'approve', id, '--as', 'dana', '--comment', 'ok'], env);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toBe(`Proposal ${id} is approved (1/1 approvals).\n`);
    const again = await runCli(['review', 'reject', id, '--as', 'dana'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is approved; reviews are taken while it is awaiting_review');
  });
});
