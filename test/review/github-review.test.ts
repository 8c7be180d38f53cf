import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { processNextPreview } from '../../src/jobs/preview-worker.ts';
import { publishGithubReview } from '../../src/review/github-review.ts';
import { createGithubClient } from '../../src/review/github/github-client.ts';
import { createGithubReviewProvider } from '../../src/review/github/github-review-provider.ts';
import { analyze } from '../../src/sql/analyze.ts';
import { drainJobs, previewWorkerDeps, promotionWorkerDeps } from '../../src/jobs/runtime.ts';
import { readProductionHead } from '../../src/preview/production-head.ts';
import { withClient } from '../../src/database/server-admin.ts';
import { setupProductionRole } from '../../src/promote/production-role.ts';
import { createScratchDatabase, testRoleName } from '../support/database.ts';
import { createTestApp, goodProposal, type TestApp } from '../support/app.ts';
import { startApiServer } from '../support/api-server.ts';
import { useGithubStandin } from '../support/github-standin/expect-contract.ts';
import type { GithubStandin } from '../support/github-standin/github-standin.ts';
import { signWebhookBody } from '../support/github-standin/webhooks.ts';

const secret = 'a-webhook-secret-of-some-length';
const standin = useGithubStandin();

/** The API reviewing in the stand-in's repository; previews succeed with the real analysis of the SQL. */
async function setUp(riskClass = 'low', withProduction = false) {
  const github = standin.current;
  const app = await createTestApp();
  // Previews here are analysis only; a production database lets a promotion run.
  const production = withProduction ? await createScratchDatabase() : undefined;
  // Promotions run as a migrator of its own, as `schemagate production setup` leaves it.
  const migratorUrl = production
    ? (await setupProductionRole(production.url, { role: testRoleName() })).url
    : undefined;
  const head = production ? (await withClient(production.url, readProductionHead)).head : null;
  const client = createGithubClient({
    baseUrl: github.url,
    auth: { kind: 'token', token: github.token },
    pacedWrites: false,
    millisecondsPerSecond: 2,
  });
  const provider = createGithubReviewProvider(client, { owner: github.owner, repo: github.repo });
  app.deps.config = {
    ...app.deps.config,
    review: { ...app.deps.config.review, provider: 'github' },
    github: {
      owner: github.owner,
      repo: github.repo,
      apiUrl: github.url,
      auth: { kind: 'token', token: github.token },
      webhookSecret: secret,
      baseBranch: 'main',
      agentLogin: 'schemagate-bot',
    },
  };
  app.deps.github = provider;
  const url = await startApiServer(app.deps);
  github.configureWebhook({ url: `${url}/api/github/webhook`, secret });
  const settings = { baseBranch: 'main', policy: app.deps.config.policy, statusMode: 'status' as const };
  const preview = () =>
    processNextPreview({
      db: app.database.db,
      worker: 'w',
      leaseMs: 10_000,
      execute: async (request) => ({
        ok: true,
        riskClass,
        productionHead: head,
        result: { analysis: analyze(request.sql) },
      }),
      publish: async (id) =>
        void (await publishGithubReview(app.database.db, provider, settings, id, new Date('2026-11-24T10:30:00Z'))),
    });
  const propose = async (sql = goodProposal.sql) => {
    const { id } = await (await app.call('POST', '/api/proposals', { body: { ...goodProposal, sql } })).json();
    expect(await preview()).toBe('completed');
    return (await get(app, id)) as { id: string; status: string; revision: { sha256: string } };
  };
  return { app, github, url, propose, preview, production, migratorUrl };
}

const get = async (app: TestApp, id: string) => (await app.call('GET', `/api/proposals/${id}`)).json();
const promotionStates = async (app: TestApp, id: string) =>
  (
    await app.database.pool.query(
      'select status from schemagate.promotions where proposal_id = $1 order by created_at',
      [id],
    )
  ).rows.map((r) => r.status);
const pinned = async (app: TestApp, id: string) =>
  (
    await app.database.pool.query(
      'select pull_number, pinned_sha, migration_path from schemagate.proposals where id = $1',
      [id],
    )
  ).rows[0];

async function review(
  github: GithubStandin,
  pullNumber: number,
  login: string,
  state: 'APPROVED' | 'CHANGES_REQUESTED',
  commitId?: string,
) {
  const record = github.submitReview({ pullNumber, login, state, ...(commitId ? { commitId } : {}) });
  const answer = await github.sendWebhook(await github.reviewWebhook(record.id, 'submitted'));
  expect(answer.status).toBe(202);
  return record;
}

describe('review loop in GitHub', () => {
  it('opens a pull request with the exact SQL and the report, and approves on an allowed review of the pinned head', async () => {
    const { app, github, propose } = await setUp();
    github.failNext('pulls/create', 1, 502);
    const proposal = await propose();
    expect(proposal.status).toBe('awaiting_review');
    const row = await pinned(app, proposal.id);
    expect(row.migration_path).toBe('netlify/database/migrations/20261124103000_add_orders_table.sql');
    expect((await github.fileAt(row.pinned_sha, row.migration_path))?.toString()).toBe(goodProposal.sql);
    const pull = github.pull(row.pull_number);
    expect(pull.body).toContain(proposal.revision.sha256);
    expect(pull.body).toContain('Risk class: low');
    expect(pull.labels).toEqual(expect.arrayContaining(['schemagate', 'risk:low']));
    expect(github.requestsFor('repos/create-commit-status').at(-1)?.body).toMatchObject({
      state: 'pending',
      context: 'schemagate',
    });
    expect(github.requestsFor('pulls/create').map((r) => r.status)).toEqual([502, 201]);

    github.addUser('alice', 'write');
    await review(github, row.pull_number, 'alice', 'APPROVED');
    expect((await get(app, proposal.id)).status).toBe('approved');
    const { rows } = await app.database.pool.query(
      'select status, sha256 from schemagate.promotions where proposal_id = $1',
      [proposal.id],
    );
    expect(rows).toEqual([{ status: 'queued', sha256: proposal.revision.sha256 }]);
  });

  it.each([
    ['the author', 'schemagate-bot', 'write'],
    ['a read-only user', 'rita', 'read'],
    ['a triager', 'tom', 'triage'],
  ] as const)('does not count an approval from %s', async (_who, login, role) => {
    const { app, github, propose } = await setUp();
    const proposal = await propose();
    if (login !== 'schemagate-bot') github.addUser(login, role);
    await review(github, (await pinned(app, proposal.id)).pull_number, login, 'APPROVED');
    expect((await get(app, proposal.id)).status).toBe('awaiting_review');
  });

  it('voids an approval when someone pushes to the branch, and counts only approvals of the new head', async () => {
    const { app, github, propose } = await setUp();
    const proposal = await propose();
    const { pull_number: pullNumber, pinned_sha: before } = await pinned(app, proposal.id);
    github.addUser('alice', 'write');
    github.addUser('bob', 'write');
    await review(github, pullNumber, 'alice', 'APPROVED');
    expect((await get(app, proposal.id)).status).toBe('approved');

    const push = await github.pushCommit({
      branch: `schemagate/${proposal.id}`,
      login: 'bob',
      files: { 'README.md': 'changed\n' },
    });
    expect(
      (
        await github.sendWebhook(
          await github.pullRequestWebhook(pullNumber, 'synchronize', { sender: 'bob', before: push.before }),
        )
      ).status,
    ).toBe(202);
    expect((await get(app, proposal.id)).status).toBe('awaiting_review');
    expect((await pinned(app, proposal.id)).pinned_sha).toBe(push.after);
    const { rows } = await app.database.pool.query('select status from schemagate.promotions where proposal_id = $1', [
      proposal.id,
    ]);
    expect(rows).toEqual([{ status: 'cancelled' }]);

    // An approval naming the old head still does not count.
    await review(github, pullNumber, 'alice', 'APPROVED', before);
    expect((await get(app, proposal.id)).status).toBe('awaiting_review');
    await review(github, pullNumber, 'alice', 'APPROVED', push.after);
    expect((await get(app, proposal.id)).status).toBe('approved');
  });

  it('previews a changed migration file pushed to the pull request as a new revision', async () => {
    const { app, github, propose, preview } = await setUp();
    const proposal = await propose();
    const { pull_number: pullNumber, migration_path: file } = await pinned(app, proposal.id);
    github.addUser('bob', 'write');
    const edited = 'create table orders (id bigint primary key, total numeric);\n';
    await github.pushCommit({ branch: `schemagate/${proposal.id}`, login: 'bob', files: { [file]: edited } });
    await github.sendWebhook(await github.pullRequestWebhook(pullNumber, 'synchronize', { sender: 'bob' }));
    const revised = await get(app, proposal.id);
    expect(revised).toMatchObject({ status: 'received', revision: { number: 2, sql: edited } });
    expect(await preview()).toBe('completed');
    const after = await pinned(app, proposal.id);
    // The file already holds revision 2: schemagate pins bob's commit instead of committing again.
    expect((await github.fileAt(after.pinned_sha, file))?.toString()).toBe(edited);
    expect(github.pull(pullNumber).body).toContain('revision 2');
  });

  it('is blocked by an outstanding change request from a writer', async () => {
    const { app, github, propose } = await setUp();
    const proposal = await propose();
    const { pull_number: pullNumber } = await pinned(app, proposal.id);
    github.addUser('alice', 'write');
    github.addUser('carol', 'admin');
    await review(github, pullNumber, 'carol', 'CHANGES_REQUESTED');
    expect((await get(app, proposal.id)).status).toBe('changes_requested');
    await review(github, pullNumber, 'alice', 'APPROVED');
    expect((await get(app, proposal.id)).status).toBe('changes_requested');
  });

  it('keeps a change request outstanding across a revision until its reviewer approves, as GitHub does', async () => {
    const { app, github, propose, preview } = await setUp();
    const proposal = await propose();
    const { pull_number: pullNumber, migration_path: file } = await pinned(app, proposal.id);
    github.addUser('alice', 'write');
    github.addUser('carol', 'write');
    await review(github, pullNumber, 'carol', 'CHANGES_REQUESTED');
    expect((await get(app, proposal.id)).status).toBe('changes_requested');
    await github.pushCommit({
      branch: `schemagate/${proposal.id}`,
      login: 'alice',
      files: { [file]: 'create table orders (id bigint primary key);\n' },
    });
    await github.sendWebhook(await github.pullRequestWebhook(pullNumber, 'synchronize', { sender: 'alice' }));
    expect(await preview()).toBe('completed');
    expect((await get(app, proposal.id)).status).toBe('awaiting_review');

    github.addUser('bob', 'write');
    await review(github, pullNumber, 'bob', 'APPROVED');
    expect((await get(app, proposal.id)).status).toBe('changes_requested');
    await review(github, pullNumber, 'carol', 'APPROVED');
    expect((await get(app, proposal.id)).status).toBe('approved');
    expect(await promotionStates(app, proposal.id)).toEqual(['queued']);
  });

  it("decides from the pull request's reviews in GitHub: an approval delivered before the older change request still counts", async () => {
    const { app, github, propose } = await setUp();
    const proposal = await propose();
    const { pull_number: pullNumber } = await pinned(app, proposal.id);
    github.addUser('alice', 'write');
    const changes = github.submitReview({ pullNumber, login: 'alice', state: 'CHANGES_REQUESTED' });
    const changesHook = await github.reviewWebhook(changes.id, 'submitted');
    const approval = github.submitReview({ pullNumber, login: 'alice', state: 'APPROVED' });
    expect((await github.sendWebhook(await github.reviewWebhook(approval.id, 'submitted'))).status).toBe(202);
    expect((await get(app, proposal.id)).status).toBe('approved');
    expect((await github.sendWebhook(changesHook)).status).toBe(202);
    expect((await get(app, proposal.id)).status).toBe('approved');
    expect(await promotionStates(app, proposal.id)).toEqual(['queued']);
  });

  it('does not let an approval delivered late override the change request that followed it', async () => {
    const { app, github, propose } = await setUp();
    const proposal = await propose();
    const { pull_number: pullNumber } = await pinned(app, proposal.id);
    github.addUser('alice', 'write');
    const approval = github.submitReview({ pullNumber, login: 'alice', state: 'APPROVED' });
    const approvalHook = await github.reviewWebhook(approval.id, 'submitted');
    await review(github, pullNumber, 'alice', 'CHANGES_REQUESTED');
    expect((await github.sendWebhook(approvalHook)).status).toBe(202);
    expect((await get(app, proposal.id)).status).toBe('changes_requested');
    expect(await promotionStates(app, proposal.id)).toEqual([]);
  });

  it('does not count a dismissed approval, however its deliveries arrive', async () => {
    const { app, github, propose } = await setUp();
    const proposal = await propose();
    const { pull_number: pullNumber } = await pinned(app, proposal.id);
    github.addUser('alice', 'write');
    github.addUser('bob', 'write');
    const approval = await review(github, pullNumber, 'alice', 'APPROVED');
    expect((await get(app, proposal.id)).status).toBe('approved');
    github.dismissReview(approval.id);
    expect((await github.sendWebhook(await github.reviewWebhook(approval.id, 'dismissed'))).status).toBe(202);
    expect((await get(app, proposal.id)).status).toBe('awaiting_review');
    expect(await promotionStates(app, proposal.id)).toEqual(['cancelled']);
    const mirrored = await app.database.pool.query(
      'select reviewer, state, external_id from schemagate.reviews where proposal_id = $1',
      [proposal.id],
    );
    expect(mirrored.rows).toEqual([{ reviewer: 'alice', state: 'DISMISSED', external_id: String(approval.id) }]);
    const events = await app.database.pool.query(
      `select type from schemagate.audit_events where proposal_id = $1 and type like 'review.%' order by id`,
      [proposal.id],
    );
    expect(events.rows.map((r) => r.type)).toEqual(['review.published', 'review.submitted', 'review.dismissed']);

    // bob's approval is dismissed before its "submitted" delivery arrives.
    const late = github.submitReview({ pullNumber, login: 'bob', state: 'APPROVED' });
    const lateHook = await github.reviewWebhook(late.id, 'submitted');
    github.dismissReview(late.id);
    expect((await github.sendWebhook(lateHook)).status).toBe(202);
    expect((await get(app, proposal.id)).status).toBe('awaiting_review');
    expect(await promotionStates(app, proposal.id)).toEqual(['cancelled']);
  });

  it("counts only the policy's reviewers, resolving its teams through GitHub", async () => {
    const { app, github, propose } = await setUp('low');
    const approvals = app.deps.config.policy.approvals;
    app.deps.config = {
      ...app.deps.config,
      policy: {
        ...app.deps.config.policy,
        approvals: { ...approvals, low: { approvals: 1, reviewers: ['acme/dba'] } },
      },
    };
    github.addUser('alice', 'write');
    github.addUser('dan', 'write');
    github.addTeam('dba', ['dan']);
    const proposal = await propose();
    const { pull_number: pullNumber } = await pinned(app, proposal.id);
    await review(github, pullNumber, 'alice', 'APPROVED');
    expect((await get(app, proposal.id)).status).toBe('awaiting_review');
    await review(github, pullNumber, 'dan', 'APPROVED');
    expect((await get(app, proposal.id)).status).toBe('approved');
    expect(github.requestsFor('teams/get-membership-for-user-in-org').map((r) => r.status)).toContain(404);
  });

  it('rejects the proposal when the pull request is closed unmerged', async () => {
    const { app, github, propose } = await setUp();
    const proposal = await propose();
    const { pull_number: pullNumber } = await pinned(app, proposal.id);
    github.closePullRequest(pullNumber);
    await github.sendWebhook(await github.pullRequestWebhook(pullNumber, 'closed'));
    expect((await get(app, proposal.id)).status).toBe('rejected');
  });
});

describe('after the approval', () => {
  it('applies the approved SQL to production, comments the outcome, marks the check successful and merges', async () => {
    const { app, github, propose, production, migratorUrl } = await setUp('low', true);
    const proposal = await propose();
    const { pull_number: pullNumber, pinned_sha: head } = await pinned(app, proposal.id);
    github.addUser('alice', 'write');
    await review(github, pullNumber, 'alice', 'APPROVED');

    const config = { ...app.deps.config, productionUrl: migratorUrl! };
    const workers = {
      previews: previewWorkerDeps(config, app.database.db, () => {}, undefined, app.deps.github),
      promotions: promotionWorkerDeps(config, app.database.db, () => {}, app.deps.github),
      github: app.deps.github,
    };
    expect(await drainJobs(config, workers, { maxRuns: 5 })).toEqual({ previews: 0, promotions: 1 });

    expect((await get(app, proposal.id)).status).toBe('promoted');
    const tables = await withClient(
      production!.url,
      async (c) => (await c.query(`select to_regclass('public.orders') is not null as applied`)).rows[0],
    );
    expect(tables).toEqual({ applied: true });
    expect(github.requestsFor('issues/create-comment').at(-1)?.body).toMatchObject({
      body: expect.stringContaining('applied to production'),
    });
    expect(github.requestsFor('repos/create-commit-status').at(-1)?.body).toMatchObject({ state: 'success' });
    expect(github.requestsFor('pulls/merge').map((r) => r.body)).toEqual([
      expect.objectContaining({ merge_method: 'squash', sha: head }),
    ]);
    expect(github.pull(pullNumber).mergedAt).toBeTruthy();
  });
});

describe('promotion guards', () => {
  it('refuses to apply when the pull request moved after the approval, even if the push webhook was missed', async () => {
    const { app, github, propose, production, migratorUrl } = await setUp('low', true);
    const proposal = await propose();
    const { pull_number: pullNumber, migration_path: file } = await pinned(app, proposal.id);
    github.addUser('alice', 'write');
    github.addUser('mallory', 'write');
    await review(github, pullNumber, 'alice', 'APPROVED');
    // Pushed after the approval; its synchronize webhook never arrives.
    await github.pushCommit({
      branch: `schemagate/${proposal.id}`,
      login: 'mallory',
      files: { [file]: 'drop table orders;\n' },
    });

    const config = { ...app.deps.config, productionUrl: migratorUrl! };
    const promotions = promotionWorkerDeps(config, app.database.db, () => {}, app.deps.github)!;
    const workers = {
      previews: previewWorkerDeps(config, app.database.db, () => {}, undefined, app.deps.github),
      promotions,
      github: app.deps.github,
    };
    await drainJobs(config, workers, { maxRuns: 5 });
    expect((await get(app, proposal.id)).status).toBe('promotion_failed');
    const { rows } = await app.database.pool.query('select result from schemagate.promotions where proposal_id = $1', [
      proposal.id,
    ]);
    expect(rows[0].result.error).toMatchObject({
      reason: 'tampered',
      message: expect.stringContaining(`pull request #${pullNumber} moved`),
    });
    const applied = await withClient(
      production!.url,
      async (c) => (await c.query(`select to_regclass('public.orders') is not null as applied`)).rows[0],
    );
    expect(applied).toEqual({ applied: false });
    expect(github.requestsFor('pulls/merge')).toEqual([]);
    expect(github.requestsFor('issues/create-comment').at(-1)?.body).toMatchObject({
      body: expect.stringContaining('promotion failed'),
    });
  });
});

describe('GitHub webhook endpoint', () => {
  async function withDelivery() {
    const { app, github, url, propose } = await setUp();
    const proposal = await propose();
    github.addUser('alice', 'write');
    const record = github.submitReview({
      pullNumber: (await pinned(app, proposal.id)).pull_number,
      login: 'alice',
      state: 'APPROVED',
    });
    return { app, github, url, proposal, hook: await github.reviewWebhook(record.id, 'submitted') };
  }
  const post = (url: string, body: string, headers: Record<string, string>) =>
    fetch(`${url}/api/github/webhook`, { method: 'POST', body, headers });

  it('answers 401 to a missing or forged signature, and changes nothing', async () => {
    const { app, url, proposal, hook } = await withDelivery();
    const { 'x-hub-signature-256': _signature, ...unsigned } = hook.headers;
    expect((await post(url, hook.body, unsigned)).status).toBe(401);
    const forged = await post(url, hook.body, { ...hook.headers, 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` });
    expect(forged.status).toBe(401);
    expect((await forged.json()).error.code).toBe('invalid_signature');
    const tampered = await post(url, hook.body.replace('"approved"', '"APPROVED"'), hook.headers);
    expect(tampered.status).toBe(401);
    expect((await get(app, proposal.id)).status).toBe('awaiting_review');
    const { rows } = await app.database.pool.query('select count(*)::int as n from schemagate.webhook_deliveries');
    expect(rows[0].n).toBe(0);
  });

  it('processes a re-delivered webhook once', async () => {
    const { app, github, proposal, hook } = await withDelivery();
    expect((await github.sendWebhook(hook)).status).toBe(202);
    const again = await github.sendWebhook(hook);
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toMatchObject({ status: 'duplicate' });
    const { rows } = await app.database.pool.query(
      'select count(*)::int as n from schemagate.reviews where proposal_id = $1',
      [proposal.id],
    );
    expect(rows[0].n).toBe(1);
  });

  it('ignores a replayed approval under a new delivery id after a change request: no approval, no promotion', async () => {
    const { app, github, proposal, hook } = await withDelivery();
    expect((await github.sendWebhook(hook)).status).toBe(202);
    expect((await get(app, proposal.id)).status).toBe('approved');
    await review(github, (await pinned(app, proposal.id)).pull_number, 'alice', 'CHANGES_REQUESTED');
    expect((await get(app, proposal.id)).status).toBe('changes_requested');

    const replay = await github.sendWebhook({
      ...hook,
      headers: { ...hook.headers, 'x-github-delivery': randomUUID() },
    });
    expect(replay.status).toBe(200);
    expect(JSON.parse(replay.body)).toMatchObject({ status: 'duplicate' });
    expect((await get(app, proposal.id)).status).toBe('changes_requested');
    expect(await promotionStates(app, proposal.id)).toEqual(['cancelled']);
  });

  it('processes the same body sent twice at once under two delivery ids once', async () => {
    const { app, github, proposal, hook } = await withDelivery();
    const twin = { ...hook, headers: { ...hook.headers, 'x-github-delivery': randomUUID() } };
    const answers = await Promise.all([github.sendWebhook(hook), github.sendWebhook(twin)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 202]);
    expect((await get(app, proposal.id)).status).toBe('approved');
    expect(await promotionStates(app, proposal.id)).toEqual(['queued']);
    const { rows } = await app.database.pool.query('select count(*)::int as n from schemagate.webhook_deliveries');
    expect(rows[0].n).toBe(1);
  });

  it("records nothing when processing fails, so GitHub's redelivery is processed", async () => {
    const { app, github, proposal, hook } = await withDelivery();
    github.failNext('pulls/list-reviews', 4, 502);
    expect((await github.sendWebhook(hook)).status).toBe(503);
    const { rows } = await app.database.pool.query('select count(*)::int as n from schemagate.webhook_deliveries');
    expect(rows[0].n).toBe(0);
    expect((await get(app, proposal.id)).status).toBe('awaiting_review');
    expect((await github.sendWebhook(hook)).status).toBe(202);
    expect((await get(app, proposal.id)).status).toBe('approved');
  });

  it('answers 400 to a signed payload that lacks what schemagate needs, and records nothing', async () => {
    const { app, url, hook } = await withDelivery();
    const body = JSON.stringify({ action: 'submitted', review: { id: 1 } });
    const answer = await post(url, body, { ...hook.headers, 'x-hub-signature-256': signWebhookBody(secret, body) });
    expect(answer.status).toBe(400);
    expect((await answer.json()).error.code).toBe('validation_failed');
    const { rows } = await app.database.pool.query('select count(*)::int as n from schemagate.webhook_deliveries');
    expect(rows[0].n).toBe(0);
  });

  it('answers 202 to events it does not use, and 400 without a delivery id', async () => {
    const { url, hook } = await withDelivery();
    const ping = await post(url, hook.body, {
      ...hook.headers,
      'x-github-event': 'ping',
      'x-github-delivery': 'ping-1',
    });
    expect(ping.status).toBe(202);
    expect((await ping.json()).status).toBe('ignored');
    const { 'x-github-delivery': _id, ...noId } = hook.headers;
    expect((await post(url, hook.body, noId)).status).toBe(400);
  });
});
