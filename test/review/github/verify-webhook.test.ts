import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../../src/review/github/verify-webhook.ts';
import { useGithubStandin } from '../../support/github-standin/expect-contract.ts';
import { signWebhookBody } from '../../support/github-standin/webhooks.ts';
import { standinProvider } from './standin-client.ts';

const SECRET = "It's a Secret to Everybody";
const BODY = '{"action":"submitted","review":{"state":"approved"},"note":"naïve"}';

describe('verifyWebhook', () => {
  const signature = signWebhookBody(SECRET, BODY);

  it('accepts the signature GitHub computes over the raw body', async () => {
    // The worked example from GitHub's "Validating webhook deliveries" docs.
    expect(signWebhookBody("It's a Secret to Everybody", 'Hello, World!')).toBe(
      'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    );
    expect(await verifyWebhook(SECRET, BODY, signature)).toBe(true);
    expect(await verifyWebhook(SECRET, new TextEncoder().encode(BODY), signature)).toBe(true);
  });

  it('rejects a forged signature', async () => {
    const forged = `sha256=${'0'.repeat(64)}`;
    expect(await verifyWebhook(SECRET, BODY, forged)).toBe(false);
    expect(
      await verifyWebhook(
        SECRET,
        BODY,
        signature.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')),
      ),
    ).toBe(false);
  });

  it.each([undefined, null, '', 'sha256=', 'sha1=abc', signWebhookBody(SECRET, BODY).slice(7)])(
    'rejects the missing or malformed header %j',
    async (header) => {
      expect(await verifyWebhook(SECRET, BODY, header)).toBe(false);
    },
  );

  it('rejects a body signed with another secret', async () => {
    expect(await verifyWebhook('another secret', BODY, signature)).toBe(false);
    expect(await verifyWebhook('', BODY, signature)).toBe(false);
  });

  it('rejects a body altered by one byte', async () => {
    const bytes = Buffer.from(BODY);
    for (const index of [0, 10, bytes.length - 1]) {
      const altered = Buffer.from(bytes);
      altered[index] = altered[index]! ^ 0x01;
      expect(await verifyWebhook(SECRET, altered, signature)).toBe(false);
    }
    expect(await verifyWebhook(SECRET, `${BODY} `, signature)).toBe(false);
    expect(await verifyWebhook(SECRET, '', signature)).toBe(false);
  });
});

describe('stand-in webhook deliveries', () => {
  const standin = useGithubStandin();

  it('posts signed pull_request and pull_request_review events that carry what GitHub sends', async () => {
    const github = standin.current;
    const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      github.configureWebhook({
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
        secret: SECRET,
        installationId: 99,
      });
      const review = await standinProvider(github).openReview({
        baseBranch: 'main',
        proposalId: 'p_hook',
        migrationPath: 'netlify/database/migrations/1_a.sql',
        sql: 'select 1;\n',
        title: 't',
        body: 'b',
      });
      const approval = github.submitReview({ pullNumber: review.pullNumber, login: 'alice', state: 'APPROVED' });
      const push = await github.pushCommit({
        branch: 'schemagate/p_hook',
        login: 'alice',
        files: { 'netlify/database/migrations/1_a.sql': 'select 2;\n' },
      });

      for (const hook of [
        await github.pullRequestWebhook(review.pullNumber, 'opened'),
        await github.reviewWebhook(approval.id, 'submitted'),
        await github.pullRequestWebhook(review.pullNumber, 'synchronize', { before: push.before, sender: 'alice' }),
      ]) {
        expect(await github.sendWebhook(hook)).toEqual({ status: 202, body: '' });
      }

      expect(received.map((r) => r.headers['x-github-event'])).toEqual([
        'pull_request',
        'pull_request_review',
        'pull_request',
      ]);
      for (const { headers, body } of received) {
        expect(headers['content-type']).toBe('application/json');
        expect(headers['x-github-delivery']).toMatch(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        );
        expect(await verifyWebhook(SECRET, body, headers['x-hub-signature-256'] as string)).toBe(true);
      }
      const [opened, submitted, synchronize] = received.map((r) => JSON.parse(r.body));
      expect(opened).toMatchObject({
        action: 'opened',
        number: review.pullNumber,
        pull_request: {
          number: review.pullNumber,
          state: 'open',
          merged: false,
          head: { ref: 'schemagate/p_hook' },
          base: { ref: 'main' },
          user: { login: 'schemagate-bot' },
        },
        repository: { full_name: 'acme/shop', name: 'shop', owner: { login: 'acme' } },
        sender: { login: 'schemagate-bot' },
        installation: { id: 99 },
      });
      expect(submitted).toMatchObject({
        action: 'submitted',
        review: { id: approval.id, state: 'approved', commit_id: review.headSha, user: { login: 'alice' } },
        pull_request: { number: review.pullNumber },
        sender: { login: 'alice' },
      });
      expect(synchronize).toMatchObject({
        action: 'synchronize',
        before: push.before,
        after: push.after,
        pull_request: { head: { sha: push.after } },
      });
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('describes a merged pull request and a dismissed review as GitHub does', async () => {
    const github = standin.current;
    github.configureWebhook({ url: 'http://127.0.0.1:9/unused', secret: SECRET });
    const review = await standinProvider(github).openReview({
      baseBranch: 'main',
      proposalId: 'p_m',
      migrationPath: 'netlify/database/migrations/1_a.sql',
      sql: 'select 1;\n',
      title: 't',
      body: 'b',
    });
    const approval = github.submitReview({ pullNumber: review.pullNumber, login: 'alice', state: 'APPROVED' });
    github.dismissReview(approval.id);
    await github.mergePullRequest(review.pullNumber, { login: 'alice' });

    const closed = JSON.parse((await github.pullRequestWebhook(review.pullNumber, 'closed')).body);
    const dismissed = JSON.parse((await github.reviewWebhook(approval.id, 'dismissed')).body);

    expect(closed).toMatchObject({
      action: 'closed',
      pull_request: { state: 'closed', merged: true, merged_by: { login: 'alice' } },
    });
    expect(dismissed).toMatchObject({ action: 'dismissed', review: { state: 'dismissed' } });
    expect(closed.installation).toBeUndefined();
  });
});
