import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createGithubClient } from '../../../src/review/github/github-client.ts';
import { createGithubReviewProvider } from '../../../src/review/github/github-review-provider.ts';
import { useGithubStandin } from '../../support/github-standin/expect-contract.ts';
import { standinClientConfig, standinProvider } from './standin-client.ts';

const quiet = () => {};

describe('createGithubClient', () => {
  const standin = useGithubStandin();

  it('authenticates as a GitHub App installation and writes check runs with it', async () => {
    const github = standin.current;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    github.registerApp({ appId: 4242, publicKey, installationId: 99 });
    const client = createGithubClient(
      standinClientConfig(github, { auth: { kind: 'app', appId: 4242, privateKey, installationId: 99 } }),
    );
    const provider = createGithubReviewProvider(client, { owner: github.owner, repo: github.repo });

    const opened = await provider.openReview({
      baseBranch: 'main',
      proposalId: 'p_app',
      migrationPath: 'netlify/database/migrations/20261124103000_app.sql',
      sql: 'select 1;\n',
      title: 'App path',
      body: 'report',
    });
    const created = await provider.setStatus({
      headSha: opened.headSha,
      state: 'pending',
      description: 'Previewing',
      mode: 'check',
      targetUrl: 'https://schemagate.example/p_app',
    });
    const updated = await provider.setStatus({
      headSha: opened.headSha,
      state: 'success',
      description: 'Approved and applied',
      mode: 'check',
    });

    expect(github.pull(opened.pullNumber).author).toBe('schemagate[bot]');
    expect(updated.id).toBe(created.id);
    const runs = [...github.state.checkRuns.values()];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      name: 'schemagate',
      headSha: opened.headSha,
      status: 'completed',
      conclusion: 'success',
      title: 'Approved and applied',
    });
    expect(github.requestsFor('apps/create-installation-access-token').map((r) => r.status)).toEqual([201]);
    expect(
      github.requests
        .filter((r) => r.operationId !== 'apps/create-installation-access-token')
        .every((r) => r.actor === 'schemagate[bot]'),
    ).toBe(true);
  });

  it('is refused by the stand-in when the App key does not match the registered one', async () => {
    const github = standin.current;
    const registered = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    github.registerApp({ appId: 4242, publicKey: registered.publicKey, installationId: 99 });
    const provider = standinProvider(github, {
      auth: { kind: 'app', appId: 4242, privateKey: other.privateKey, installationId: 99 },
    });

    await expect(provider.getPullRequest(1)).rejects.toMatchObject({ code: 'remote_error', status: 401 });
  });

  it('commit statuses work with a token, check runs do not', async () => {
    const github = standin.current;
    const provider = standinProvider(github);
    const head = (await github.branchSha('main'))!;

    await provider.setStatus({ headSha: head, state: 'failure', description: 'x'.repeat(300), mode: 'status' });

    expect(github.state.statuses).toEqual([
      expect.objectContaining({ sha: head, state: 'failure', context: 'schemagate', creator: 'schemagate-bot' }),
    ]);
    expect(github.state.statuses[0]!.description).toHaveLength(140);
    await expect(
      provider.setStatus({ headSha: head, state: 'pending', description: 'x', mode: 'check' }),
    ).rejects.toMatchObject({
      code: 'remote_error',
      status: 403,
      message: expect.stringContaining('You must authenticate via a GitHub App'),
    });
  });

  it('waits out a secondary rate limit and retries', async () => {
    const github = standin.current;
    github.addUser('alice', 'write');
    github.rateLimitNext('repos/get-collaborator-permission-level', 2, { retryAfterSeconds: 1 });
    const warnings: string[] = [];

    const permission = await standinProvider(github, { warn: (m) => warnings.push(m) }).getPermission('alice');

    expect(permission.permission).toBe('write');
    expect(github.requestsFor('repos/get-collaborator-permission-level').map((r) => r.status)).toEqual([403, 403, 200]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/secondary rate limit .* retrying in 1s \(retry 1 of 2\)/);
  });

  it('gives up on a rate limit after the configured retries with a clear error', async () => {
    const github = standin.current;
    github.rateLimitNext('pulls/get', 5);

    const failure = standinProvider(github, { rateLimitRetries: 2, warn: quiet }).getPullRequest(1);

    await expect(failure).rejects.toMatchObject({
      code: 'rate_limited',
      status: 403,
      message: expect.stringMatching(
        /^GitHub rate limit on GET \/repos\/acme\/shop\/pulls\/1: gave up after 2 retries .*secondary rate limit/,
      ),
    });
    expect(github.requestsFor('pulls/get')).toHaveLength(3);
  });

  it('waits for the primary rate limit to reset, then retries', async () => {
    const github = standin.current;
    github.rateLimitNext('pulls/list-files', 1, { kind: 'primary', retryAfterSeconds: 2 });
    const warnings: string[] = [];

    const files = await standinProvider(github, { warn: (m) => warnings.push(m) })
      .listPullFiles(1)
      .catch((error: unknown) => error);

    expect(files).toMatchObject({ status: 404 });
    expect(github.requestsFor('pulls/list-files').map((r) => r.status)).toEqual([403, 404]);
    expect(warnings).toEqual([
      expect.stringMatching(/^GitHub primary rate limit on GET .*pulls\/1\/files.*: retrying in \d+s/),
    ]);
  });

  it('does not wait when GitHub asks for longer than the configured maximum', async () => {
    const github = standin.current;
    github.rateLimitNext('pulls/get', 1, { retryAfterSeconds: 3600 });

    await expect(
      standinProvider(github, { maxRetryAfterSeconds: 60, warn: quiet }).getPullRequest(1),
    ).rejects.toMatchObject({ code: 'rate_limited' });
    expect(github.requestsFor('pulls/get')).toHaveLength(1);
  });

  it('retries 5xx answers and succeeds', async () => {
    const github = standin.current;
    github.failNext('repos/get', 2, 502);

    const client = createGithubClient(standinClientConfig(github, { retries: 3 }));
    const { data } = await client.rest.repos.get({ owner: github.owner, repo: github.repo });

    expect(data.full_name).toBe('acme/shop');
    expect(github.requestsFor('repos/get').map((r) => r.status)).toEqual([502, 502, 200]);
  });

  it('gives up on 5xx after the configured retries', async () => {
    const github = standin.current;
    github.failNext('pulls/get', 10, 503);

    await expect(standinProvider(github, { retries: 2 }).getPullRequest(1)).rejects.toMatchObject({
      code: 'unavailable',
      status: 503,
      message: expect.stringContaining('after 2 retries'),
    });
    expect(github.requestsFor('pulls/get')).toHaveLength(3);
  });

  it('rejects bad configuration at once, naming every problem', () => {
    expect(() => createGithubClient({ baseUrl: 'not a url', auth: { kind: 'token', token: '' } })).toThrow(
      expect.objectContaining({
        code: 'configuration_error',
        message: expect.stringMatching(/baseUrl: .*auth\.token: /),
      }),
    );
    expect(() =>
      createGithubClient({ auth: { kind: 'app', appId: 1, privateKey: 'secret', installationId: 2 } }),
    ).toThrow(/auth\.privateKey: must be a PEM private key/);
  });
});
