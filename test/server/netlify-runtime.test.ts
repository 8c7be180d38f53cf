import { once } from 'node:events';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import { closeApi, serveApi } from '../../src/http/runtime.ts';
import { handleJobsRequest, sweepJobs } from '../../src/jobs/entry.ts';
import { jobsSecretHeader } from '../../src/http/jobs-secret.ts';
import { branchProvider } from '../../src/jobs/runtime.ts';
import { createPostgresBranchProvider } from '../../src/preview/postgres-branch-provider.ts';
import { assertLocalReviewWritable } from '../../src/review/local-review.ts';
import { buildNetlifySite } from '../../src/server/netlify-build.ts';
import { serve } from '../../src/server/serve.ts';
import { runCli } from '../support/cli.ts';
import { createTestApp, goodProposal } from '../support/app.ts';
import { createScratchDatabase, createTestDatabase } from '../support/database.ts';
import { productionNetlifyConfig } from '../support/netlify-config.ts';

const secret = 'a-jobs-secret-that-is-long-enough-0123456789';
const savedEnv = { ...process.env };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await closeApi();
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sg-netlify-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The environment a deployed function reads (no SCHEMAGATE_PREVIEW_WORKER: jobs go to the background function). */
function deployedEnv(env: Record<string, string>): void {
  delete process.env.SCHEMAGATE_PREVIEW_WORKER;
  delete process.env.SCHEMAGATE_JOBS_SECRET;
  delete process.env.SCHEMAGATE_REVIEW_PROVIDER;
  delete process.env.SCHEMAGATE_REPOSITORY_DIR;
  Object.assign(process.env, env);
}

describe('local review where nothing can be written', () => {
  it('is refused at start-up with local_review_unwritable, naming the directory and the way out', async () => {
    const dir = await tempDir();
    // A file where the repository should be: mkdir fails as it does on a read-only mount, and even for root.
    const blocked = path.join(dir, 'checkout');
    await writeFile(blocked, 'not a directory');
    const refusal = await assertLocalReviewWritable({ provider: 'local', repositoryDir: blocked }).catch(
      (e: unknown) => e,
    );
    expect(refusal).toMatchObject({
      code: 'local_review_unwritable',
      details: { repository_dir: blocked, reason: 'ENOTDIR' },
    });
    expect((refusal as Error).message).toContain('SCHEMAGATE_REVIEW_PROVIDER=github');
    // GitHub review writes nothing locally: the same directory is no obstacle.
    await expect(assertLocalReviewWritable({ provider: 'github', repositoryDir: blocked })).resolves.toBeUndefined();
    // A writable checkout passes and keeps no probe behind.
    await expect(assertLocalReviewWritable({ provider: 'local', repositoryDir: dir })).resolves.toBeUndefined();
  });

  it('makes every API function answer 500 local_review_unwritable instead of stranding proposals', async () => {
    const db = await createTestDatabase();
    const dir = await tempDir();
    await writeFile(path.join(dir, 'checkout'), '');
    deployedEnv({
      DATABASE_URL: db.url,
      SCHEMAGATE_JOBS_SECRET: secret,
      SCHEMAGATE_REPOSITORY_DIR: path.join(dir, 'checkout'),
    });
    const response = await serveApi(
      new Request('http://site.example/api/proposals', { method: 'POST', body: JSON.stringify(goodProposal) }),
    );
    expect(response.status).toBe(500);
    expect((await response.json()).error.code).toBe('local_review_unwritable');
    const { rows } = await db.pool.query('select count(*)::int as n from schemagate.proposals');
    expect(rows[0].n).toBe(0);
  });

  it('stops schemagate serve before it starts anything, and the CLI exits 2 (configuration)', async () => {
    const dir = await tempDir();
    const blocked = path.join(dir, 'checkout');
    await writeFile(blocked, '');
    const config = { ...loadConfig({ env: {}, cwd: dir }), port: 0 };
    await expect(
      serve({ ...config, review: { ...config.review, repositoryDir: blocked } }, { log: () => {} }),
    ).rejects.toMatchObject({ code: 'local_review_unwritable' });
    const cli = await runCli(
      ['serve'],
      { SCHEMAGATE_REPOSITORY_DIR: blocked, DATABASE_URL: 'postgres://nobody@127.0.0.1:9/unreachable' },
      dir,
    );
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(`local review writes each proposal into ${blocked}/netlify/database/migrations`);
  });

  it('refuses to start the API without SCHEMAGATE_JOBS_SECRET when jobs run in the background function', async () => {
    const db = await createTestDatabase();
    deployedEnv({ DATABASE_URL: db.url, SCHEMAGATE_REPOSITORY_DIR: await tempDir() });
    const response = await serveApi(new Request('http://site.example/api/health'));
    expect(response.status).toBe(500);
    expect((await response.json()).error).toMatchObject({
      code: 'configuration_error',
      message: expect.stringContaining('SCHEMAGATE_JOBS_SECRET'),
    });
  });
});

describe('the jobs background function', () => {
  /** A control plane with one preview queued, deployed with the jobs secret. */
  const queuedPreviewDeployed = async () => {
    const app = await createTestApp();
    await app.call('POST', '/api/proposals', { body: goodProposal });
    deployedEnv({
      DATABASE_URL: app.database.url,
      SCHEMAGATE_JOBS_SECRET: secret,
      SCHEMAGATE_REPOSITORY_DIR: await tempDir(),
    });
    return app;
  };
  const call = (headers: Record<string, string> = {}) =>
    handleJobsRequest(
      new Request('http://site.example/.netlify/functions/jobs-background', { method: 'POST', headers }),
    );

  it.each([
    ['no secret', {}],
    ['a wrong secret', { [jobsSecretHeader]: `${secret}x` }],
    ['an empty secret', { [jobsSecretHeader]: '' }],
    ['the secret in another header', { authorization: `Bearer ${secret}` }],
  ])('refuses a call with %s: 401 invalid_jobs_secret, and runs nothing', async (_case, headers) => {
    const app = await queuedPreviewDeployed();
    const response = await call(headers);
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe('invalid_jobs_secret');
    const { rows } = await app.database.pool.query('select status from schemagate.preview_runs');
    expect(rows).toEqual([{ status: 'queued' }]);
  });

  it('refuses every call when no secret is configured (fails closed)', async () => {
    const db = await createTestDatabase();
    deployedEnv({ DATABASE_URL: db.url, SCHEMAGATE_REPOSITORY_DIR: await tempDir() });
    const response = await call({ [jobsSecretHeader]: '' });
    expect(response.status).toBe(500);
    expect((await response.json()).error).toMatchObject({
      code: 'configuration_error',
      message: expect.stringContaining('SCHEMAGATE_JOBS_SECRET'),
    });
  });

  it('runs the queued work with the right secret', async () => {
    const app = await queuedPreviewDeployed();
    const response = await call({ [jobsSecretHeader]: secret });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ previews: 1, promotions: 0 });
    // No production is configured: the preview ran and failed, saying so.
    const { rows } = await app.database.pool.query('select status from schemagate.preview_runs');
    expect(rows).toEqual([{ status: 'failed' }]);
  });
});

/** A stand-in for the site: records calls to the background function; `answer` decides when (or whether) it answers. */
async function fakeSite(answer: 'at-once' | 'never') {
  const calls: IncomingMessage['headers'][] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((request, response) => {
    calls.push(request.headers);
    if (answer === 'never') return void hanging.push(response);
    response.writeHead(202).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(async () => {
    for (const r of hanging) r.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls };
}

describe('the scheduled sweeper', () => {
  const configFor = (url: string): Config => ({
    ...loadConfig({ env: { DATABASE_URL: url }, cwd: '/nonexistent' }),
    jobsSecret: secret,
  });

  it('hands waiting work to the background function with the secret, and runs none of it itself', async () => {
    const app = await createTestApp();
    const { id } = await (await app.call('POST', '/api/proposals', { body: goodProposal })).json();
    const site = await fakeSite('at-once');
    const outcome = await sweepJobs({ siteUrl: site.url, config: configFor(app.database.url) });
    expect(outcome).toMatchObject({ pending: true, handedOff: true });
    expect(site.calls).toHaveLength(1);
    expect(site.calls[0]![jobsSecretHeader]).toBe(secret);
    const { rows } = await app.database.pool.query('select status from schemagate.proposals where id = $1', [id]);
    expect(rows).toEqual([{ status: 'received' }]);
  });

  it('starts nothing when no work waits', async () => {
    const db = await createTestDatabase();
    const site = await fakeSite('at-once');
    expect(await sweepJobs({ siteUrl: site.url, config: configFor(db.url) })).toMatchObject({
      pending: false,
      handedOff: false,
    });
    expect(site.calls).toHaveLength(0);
  });

  it('takes a claim whose worker died for waiting work', async () => {
    const app = await createTestApp();
    await app.call('POST', '/api/proposals', { body: goodProposal });
    await app.database.pool.query(
      `update schemagate.preview_runs set status = 'running', claimed_by = 'dead', claim_expires_at = now() - interval '1 minute'`,
    );
    const site = await fakeSite('at-once');
    expect(await sweepJobs({ siteUrl: site.url, config: configFor(app.database.url) })).toMatchObject({
      pending: true,
      handedOff: true,
    });
  });

  it('stops waiting for the background function when its budget is spent', async () => {
    const app = await createTestApp();
    await app.call('POST', '/api/proposals', { body: goodProposal });
    const site = await fakeSite('never');
    // A site that never answers: the sweeper gives up at its budget and returns, well before its hard stop.
    const outcome = await sweepJobs({
      siteUrl: site.url,
      config: configFor(app.database.url),
      budgetMs: 1500,
      hardStopMs: 60_000,
    });
    expect(outcome).toMatchObject({ pending: true, handedOff: false });
    expect(site.calls).toHaveLength(1);
  }, 30_000);

  it('drops expired preview branches only while its budget lasts; the next sweep drops the rest', async () => {
    const db = await createTestDatabase();
    const production = await createScratchDatabase();
    const site = await fakeSite('at-once');
    const base = configFor(db.url);
    // Every branch is past a TTL of zero.
    const config: Config = {
      ...base,
      productionUrl: production.url,
      previewServerUrl: inject('adminUrl'),
      preview: { ...base.preview, baseMode: 'schema', ttlHours: 0 },
    };
    const provider = branchProvider(config)!;
    cleanups.push(async () => void (await provider.dropAll()));
    // Created under a TTL of a day (creating drops expired branches first), then swept under a TTL of zero.
    const creator = createPostgresBranchProvider({
      productionUrl: production.url,
      previewServerUrl: inject('adminUrl'),
      baseMode: 'schema',
      sampleRows: config.preview.sampleRows,
    });
    expect(creator.scope).toBe(provider.scope);
    for (const n of [1, 2, 3]) await creator.create(`sweep_budget_r${n}`);
    const spent = await sweepJobs({ siteUrl: site.url, config, budgetMs: 0 });
    expect(spent.dropped).toEqual([]);
    expect(await provider.list()).toHaveLength(3);
    const next = await sweepJobs({ siteUrl: site.url, config });
    expect(next.dropped.sort()).toEqual([
      'sg_preview_sweep_budget_r1',
      'sg_preview_sweep_budget_r2',
      'sg_preview_sweep_budget_r3',
    ]);
    expect(await provider.list()).toEqual([]);
  });

  it('refuses to run without the jobs secret or the site URL', async () => {
    const db = await createTestDatabase();
    await expect(
      sweepJobs({ siteUrl: 'http://127.0.0.1:9', config: { ...configFor(db.url), jobsSecret: undefined } }),
    ).rejects.toMatchObject({ code: 'configuration_error' });
    delete process.env.URL;
    await expect(sweepJobs({ siteUrl: undefined, config: configFor(db.url) })).rejects.toMatchObject({
      code: 'configuration_error',
    });
  });
});

describe('the Netlify build', () => {
  const root = path.resolve(import.meta.dirname, '../..');

  it('publishes the dashboard directory only', async () => {
    const config = await productionNetlifyConfig();
    expect(config.build.publish).toBe(path.join(root, 'public'));
    expect(config.build.command).toContain('scripts/netlify-build.ts public');
  });

  it('fails without a database to migrate, and publishes nothing', async () => {
    const publishDir = path.join(await tempDir(), 'public');
    const refusal = await buildNetlifySite({ env: {}, cwd: root, publishDir, log: () => {} }).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: 'configuration_error', message: expect.stringContaining('DATABASE_URL') });
    await expect(readdir(publishDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('replaces whatever the publish directory held with the page and its headers, and migrates the control plane', async () => {
    const db = await createScratchDatabase();
    const publishDir = await tempDir();
    await writeFile(path.join(publishDir, 'stale.txt'), 'left from an earlier build');
    const result = await buildNetlifySite({ env: { DATABASE_URL: db.url }, cwd: root, publishDir, log: () => {} });
    expect((await readdir(publishDir)).sort()).toEqual(['_headers', 'index.html']);
    expect(await readFile(path.join(publishDir, '_headers'), 'utf8')).toContain(
      "content-security-policy: default-src 'none'",
    );
    expect(result.applied).toBeGreaterThan(0);
    // A second build finds the control plane up to date.
    expect(
      (await buildNetlifySite({ env: { DATABASE_URL: db.url }, cwd: root, publishDir, log: () => {} })).applied,
    ).toBe(0);
  });
});
