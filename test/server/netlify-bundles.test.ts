import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { zipFunctions } from '@netlify/zip-it-and-ship-it';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../src/agents/agents.ts';
import { dashboardRoute } from '../../src/http/routes/dashboard.ts';
import { createPostgresBranchProvider } from '../../src/preview/postgres-branch-provider.ts';
import { withClient } from '../../src/database/server-admin.ts';
import { buildNetlifySite } from '../../src/server/netlify-build.ts';
import { expectNoContractViolations } from '../support/github-standin/expect-contract.ts';
import { startGithubStandin, type GithubStandin } from '../support/github-standin/github-standin.ts';
import { createTestApp, goodProposal } from '../support/app.ts';
import { createScratchDatabase, createTestDatabase, ownerAdminUrl } from '../support/database.ts';
import { deployBundleOptions } from '../support/netlify-config.ts';
import { customersProduction } from '../support/production.ts';

const root = path.resolve(import.meta.dirname, '../..');
const hostSource = path.join(import.meta.dirname, 'netlify-bundle-host.ts');
const jobsSecret = 'bundle-test-jobs-secret-0123456789abcdef';
const webhookSecret = 'bundle-test-webhook-secret';
// A deployed function's working directory is read-only; as root nothing is, so the bundles run as nobody.
const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

let bundles: string;
let built: Awaited<ReturnType<typeof zipFunctions>>;
let readOnlyDir: string;
let noToolsDir: string;
/** Node and the host script as the host runs them (see beforeAll). */
let hostNode = process.execPath;
let hostScript = hostSource;

beforeAll(async () => {
  bundles = await mkdtemp(path.join(tmpdir(), 'sg-bundles-'));
  readOnlyDir = await mkdtemp(path.join(tmpdir(), 'sg-readonly-'));
  noToolsDir = await mkdtemp(path.join(tmpdir(), 'sg-no-tools-'));
  // Built as a deploy builds them: netlify.toml's [functions] settings, every function in the directory.
  const { directory, options } = await deployBundleOptions();
  built = await zipFunctions(directory, bundles, options);
  for (const dir of [bundles, noToolsDir]) await chmod(dir, 0o755);
  if (asNobody.uid !== undefined) {
    // nobody cannot reach a checkout in a private directory (mktemp -d, /root): the host runs from copies beside the bundles.
    hostNode = path.join(bundles, 'host-node');
    hostScript = path.join(bundles, 'netlify-bundle-host.ts');
    await copyFile(process.execPath, hostNode);
    await copyFile(hostSource, hostScript);
    await chmod(hostNode, 0o755);
  }
  await new Promise((resolve) => spawn('chmod', ['-R', 'a+rX', bundles]).on('close', resolve));
  await chmod(readOnlyDir, 0o555);
}, 240_000);

afterAll(async () => {
  for (const dir of [bundles, readOnlyDir, noToolsDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

interface Host {
  url: string;
  lines: string[];
  /** Resolves with the first output line that matches. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

const hosts: ChildProcess[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const child of hosts.splice(0)) child.kill();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The built bundles behind one local "site", in a read-only directory, with no pg_dump or psql on the PATH. */
async function startHost(env: Record<string, string>): Promise<Host> {
  const child = spawn(hostNode, [hostScript, bundles], {
    cwd: readOnlyDir,
    env: { ...env, PATH: noToolsDir, HOME: readOnlyDir, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...asNobody,
  });
  hosts.push(child);
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const take = (line: string) => {
    lines.push(line);
    for (const w of waiters.filter((w) => w.pattern.test(line))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(line);
    }
  };
  createInterface({ input: child.stdout! }).on('line', take);
  createInterface({ input: child.stderr! }).on('line', (line) => lines.push(`stderr: ${line}`));
  const waitForLine = (pattern: RegExp, timeoutMs = 60_000) =>
    new Promise<string>((resolve, reject) => {
      const seen = lines.find((l) => pattern.test(l));
      if (seen) return resolve(seen);
      const timer = setTimeout(
        () => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; output:\n${lines.join('\n')}`)),
        timeoutMs,
      );
      waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) });
    });
  const port = (await waitForLine(/^listening \d+$/)).split(' ')[1];
  return { url: `http://127.0.0.1:${port}`, lines, waitForLine };
}

it("bundles the jobs background function with the SQL parser's WebAssembly, as netlify.toml asks", async () => {
  const result = built.find((f) => f.name === 'jobs-background');
  expect(result?.path).toBeDefined();
  const files = await readdir(path.join(bundles, 'jobs-background/node_modules/libpg-query/wasm'));
  expect(files).toContain('libpg-query.wasm');
});

describe('the built Netlify functions, from a read-only directory without pg_dump or psql', () => {
  it('run the whole loop: propose, preview on an in-process copy, GitHub pull request, approval, promotion', async () => {
    // The control plane as a deploy leaves it: migrated by the build, which also publishes the dashboard.
    const controlPlane = await createScratchDatabase();
    const publishDir = await mkdtemp(path.join(tmpdir(), 'sg-publish-'));
    cleanups.push(() => rm(publishDir, { recursive: true, force: true }));
    const build = await buildNetlifySite({
      env: { DATABASE_URL: controlPlane.url },
      cwd: root,
      publishDir,
      log: () => {},
    });
    expect(build.applied).toBeGreaterThan(0);
    expect(await readFile(path.join(publishDir, 'index.html'), 'utf8')).toBe(await (await dashboardRoute()).text());

    // Production on "another server": previews cannot use it as a template, and there is no pg_dump to copy it with.
    const { production, productionUrl } = await customersProduction();
    // Previews on a server whose admin is no superuser, as with Neon's or Netlify Database's owner.
    const previewServerUrl = await ownerAdminUrl();
    cleanups.push(() =>
      createPostgresBranchProvider({ productionUrl, previewServerUrl, baseMode: 'sample', sampleRows: 1000 }).dropAll(),
    );

    const github: GithubStandin = await startGithubStandin();
    cleanups.push(async () => {
      expectNoContractViolations(github);
      await github.close();
    });
    const { token } = await controlPlane.db.transaction((tx) =>
      createAgent(tx, { name: 'agent-1', scopes: ['propose', 'read'] }),
    );
    const host = await startHost({
      DATABASE_URL: controlPlane.url,
      PRODUCTION_DATABASE_URL: productionUrl,
      PREVIEW_DATABASE_URL: previewServerUrl,
      SCHEMAGATE_REVIEW_PROVIDER: 'github',
      GITHUB_REPOSITORY: `${github.owner}/${github.repo}`,
      GITHUB_TOKEN: github.token,
      GITHUB_API_URL: github.url,
      GITHUB_WEBHOOK_SECRET: webhookSecret,
      GITHUB_AGENT_LOGIN: 'schemagate-bot',
      SCHEMAGATE_JOBS_SECRET: jobsSecret,
    });
    github.configureWebhook({ url: `${host.url}/api/github/webhook`, secret: webhookSecret });
    const api = (pathname: string, init: RequestInit = {}) =>
      fetch(`${host.url}${pathname}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
      });
    const waitFor = async (id: string, status: string) => {
      for (let attempt = 0; attempt < 4; attempt++) {
        const proposal = await (await api(`/api/proposals/${id}?wait_for=${status}&timeout=50`)).json();
        if (proposal.status === status) return proposal;
        if (!['received', 'previewing', 'approved', 'promoting'].includes(proposal.status)) return proposal;
      }
      throw new Error(`proposal ${id} did not reach ${status}:\n${host.lines.join('\n')}`);
    };

    const sql = 'alter table customers add column nickname text;\n';
    const created = await api('/api/proposals', {
      method: 'POST',
      body: JSON.stringify({ title: 'Add a nickname', sql }),
    });
    expect(created.status).toBe(202);
    const { id } = await created.json();

    // The API started the background function, with the secret; it previewed and opened the pull request.
    const reviewed = await waitFor(id, 'awaiting_review');
    const runs = async () =>
      JSON.stringify(
        (
          await controlPlane.pool.query('select status, result from schemagate.preview_runs where proposal_id = $1', [
            id,
          ])
        ).rows,
      );
    expect(reviewed.status, `${host.lines.join('\n')}\n${await runs()}`).toBe('awaiting_review');
    await host.waitForLine(/^background jobs-background 200 /);
    const { rows } = await controlPlane.pool.query(
      'select pull_number, migration_path from schemagate.proposals where id = $1',
      [id],
    );
    const { pull_number: pullNumber, migration_path: migrationPath } = rows[0];
    expect((await github.fileAt(`schemagate/${id}`, migrationPath))?.toString()).toBe(sql);
    // The preview ran on a copy of production built without pg_dump (there is none on this PATH): a sample of its 3000 customers.
    const preview = (
      await controlPlane.pool.query(
        `select result from schemagate.preview_runs where proposal_id = $1 and status = 'succeeded'`,
        [id],
      )
    ).rows[0].result;
    expect(preview.preview.apply.statements[0].tables[0]).toMatchObject({ table: 'public.customers', rows: 1000 });

    github.addUser('alice', 'write');
    const review = github.submitReview({ pullNumber, login: 'alice', state: 'APPROVED' });
    expect((await github.sendWebhook(await github.reviewWebhook(review.id, 'submitted'))).status).toBe(202);

    const promoted = await waitFor(id, 'promoted');
    expect(promoted.status, host.lines.join('\n')).toBe('promoted');
    const columns = await withClient(
      production.url,
      async (c) =>
        (await c.query(`select column_name from information_schema.columns where table_name = 'customers' order by 1`))
          .rows,
    );
    expect(columns.map((r) => r.column_name)).toEqual(['email', 'id', 'nickname']);
    const ledger = await withClient(production.url, async (c) =>
      (await c.query('select name from netlify.migrations')).rows.map((r) => r.name),
    );
    expect(ledger).toEqual([path.basename(migrationPath, '.sql')]);
    // The promotion is reported to the pull request after it is recorded: the same background run merges it right after.
    for (let i = 0; i < 300 && github.pull(pullNumber).mergedAt === null; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(github.pull(pullNumber).mergedAt, host.lines.join('\n')).not.toBeNull();
    expect(host.lines.filter((l) => l.startsWith('host error'))).toEqual([]);
  }, 300_000);

  it('answer a call to the background function without the secret with 202, as Netlify does, and run nothing: the function refused it with invalid_jobs_secret', async () => {
    const { app, host } = await hostWithQueuedPreview();
    const answer = await fetch(`${host.url}/.netlify/functions/jobs-background`, {
      method: 'POST',
      headers: { 'x-schemagate-jobs-secret': 'guess' },
    });
    expect(answer.status).toBe(202);
    const line = await host.waitForLine(/^background jobs-background /);
    expect(line).toMatch(/^background jobs-background 401 .*"code":\s*"invalid_jobs_secret"/);
    const { rows } = await app.database.pool.query('select status from schemagate.preview_runs');
    expect(rows).toEqual([{ status: 'queued' }]);
  }, 120_000);

  it('run the scheduled sweeper, which hands waiting work to the background function with the secret', async () => {
    // A proposal queued with no start of the background function (as when that start was lost).
    const { app, host } = await hostWithQueuedPreview();
    const sweep = await fetch(`${host.url}/.netlify/functions/jobs-sweeper`, {
      method: 'POST',
      body: JSON.stringify({ next_run: new Date().toISOString() }),
    });
    expect(sweep.status).toBe(204);
    // The sweeper answered without running the preview; the background function it started ran it.
    await host.waitForLine(/^background jobs-background 200 .*"previews":\s*1/);
    const { rows } = await app.database.pool.query('select status from schemagate.preview_runs');
    // No production is configured here: the preview ran and failed, saying so.
    expect(rows).toEqual([{ status: 'failed' }]);
  }, 120_000);

  it('refuse to start with local review, whose files a read-only directory cannot take: 500 local_review_unwritable', async () => {
    const controlPlane = await createTestDatabase();
    const host = await startHost({ DATABASE_URL: controlPlane.url, SCHEMAGATE_JOBS_SECRET: jobsSecret });
    const answer = await fetch(`${host.url}/api/health`);
    expect(answer.status).toBe(500);
    expect((await answer.json()).error).toMatchObject({
      code: 'local_review_unwritable',
      message: expect.stringContaining('SCHEMAGATE_REVIEW_PROVIDER=github'),
    });
  }, 120_000);
});

/** A control plane with one proposal queued for preview, served by the bundles with GitHub review and the jobs secret. */
async function hostWithQueuedPreview() {
  const app = await createTestApp();
  await app.call('POST', '/api/proposals', { body: goodProposal });
  const host = await startHost({
    DATABASE_URL: app.database.url,
    SCHEMAGATE_REVIEW_PROVIDER: 'github',
    ...githubEnv(),
    SCHEMAGATE_JOBS_SECRET: jobsSecret,
  });
  return { app, host };
}

/** GitHub review settings that pass validation; no call reaches GitHub in the tests that use them. */
function githubEnv(): Record<string, string> {
  return {
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_TOKEN: 'unused',
    GITHUB_WEBHOOK_SECRET: webhookSecret,
    GITHUB_API_URL: 'http://127.0.0.1:9',
  };
}
