import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processNextPreview } from '../../src/jobs/preview-worker.ts';
import { freePort } from '../../src/database/embedded-postgres.ts';
import { createTestApp } from '../support/app.ts';
import { startApiServer } from '../support/api-server.ts';
import { runCli } from '../support/cli.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function setUp() {
  const app = await createTestApp();
  const url = await startApiServer(app.deps);
  const cwd = await mkdtemp(path.join(tmpdir(), 'sg-agent-cli-'));
  dirs.push(cwd);
  await writeFile(
    path.join(cwd, 'up.sql'),
    'create table notes (id bigint generated always as identity primary key);\n',
  );
  await writeFile(path.join(cwd, 'down.sql'), 'drop table notes;\n');
  // HOME points at the empty directory so no client file of the machine is read.
  const env = { SCHEMAGATE_URL: url, SCHEMAGATE_TOKEN: app.token, HOME: cwd };
  return { app, url, cwd, env };
}

describe('agent CLI against a running server', () => {
  it('proposes a file, shows its status, lists it and withdraws it', async () => {
    const { cwd, env } = await setUp();
    const proposed = await runCli(
      ['propose', 'up.sql', '--title', 'Add notes', '--down', 'down.sql', '--json'],
      env,
      cwd,
    );
    expect(proposed.code).toBe(0);
    const proposal = JSON.parse(proposed.stdout);
    expect(proposal).toMatchObject({ status: 'received', revision: { number: 1, down_sql: 'drop table notes;\n' } });

    const status = await runCli(['status', proposal.id], env, cwd);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`${proposal.id}  received`);

    const list = await runCli(['list', '--json'], env, cwd);
    expect(JSON.parse(list.stdout).items.map((p: { id: string }) => p.id)).toEqual([proposal.id]);

    const withdrawn = await runCli(['withdraw', proposal.id, '--reason', 'not needed'], env, cwd);
    expect(withdrawn.code).toBe(0);
    const again = await runCli(['withdraw', proposal.id], env, cwd);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/cannot withdraw a proposal that is withdrawn/);
  });

  it('waits with --wait while a worker previews, showing progress, and exits 0 once it is awaiting review', async () => {
    const { app, cwd, env } = await setUp();
    const worker = (async () => {
      const execute = async () => ({ ok: true, result: { applied: true } });
      for (let i = 0; i < 50; i++) {
        if ((await processNextPreview({ db: app.database.db, execute, worker: 'test', leaseMs: 5000 })) === 'completed')
          return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const result = await runCli(['propose', 'up.sql', '--title', 'Add notes', '--wait', '--timeout', '20'], env, cwd);
    await worker;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/waiting for awaiting_review/);
    expect(result.stdout).toMatch(/awaiting_review/);
  });

  it('exits 1 when the proposal ends short of the awaited status, and 3 on timeout', async () => {
    const { app, cwd, env } = await setUp();
    const { id } = JSON.parse((await runCli(['propose', 'up.sql', '--title', 'x', '--json'], env, cwd)).stdout);
    const timedOut = await runCli(['wait', id, '--until', 'approved', '--timeout', '0.3'], env, cwd);
    expect(timedOut.code).toBe(3);
    expect(timedOut.stderr).toMatch(/still received after 0 s \(waiting for approved\)/);

    await app.call('POST', `/api/proposals/${id}/withdraw`);
    const ended = await runCli(['wait', id, '--until', 'approved', '--json'], env, cwd);
    expect(ended.code).toBe(1);
    expect(JSON.parse(ended.stdout)).toMatchObject({ reached: false, proposal: { status: 'withdrawn' } });
  });

  it('says clearly when the server is unreachable or the token is refused (exit 4), and on usage errors (exit 2)', async () => {
    const { cwd, env } = await setUp();
    const closedPort = await freePort(0);
    const refused = await runCli(['list'], { ...env, SCHEMAGATE_URL: `http://127.0.0.1:${closedPort}` }, cwd);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/cannot reach schemagate at http:\/\/127.0.0.1:\d+ \(ECONNREFUSED\)/);

    const badToken = await runCli(['list'], { ...env, SCHEMAGATE_TOKEN: 'sg_wrong' }, cwd);
    expect(badToken.code).toBe(4);
    expect(badToken.stderr).toMatch(/refused the token/);

    expect((await runCli(['propose', 'up.sql'], env, cwd)).code).toBe(2);
    const missing = await runCli(['propose', 'nope.sql', '--title', 'x'], env, cwd);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read nope.sql: ENOENT');
    expect((await runCli(['wait', 'abc', '--until', 'merged'], env, cwd)).code).toBe(2);
    const notFound = await runCli(['status', '00000000-0000-4000-8000-000000000000'], env, cwd);
    expect(notFound.code).toBe(1);
    expect(notFound.stderr).toMatch(/no proposal with id/);
  });

  it('uses the local agent token written by serve when no token is configured', async () => {
    const { app, cwd, url } = await setUp();
    await import('node:fs/promises').then((fs) => fs.mkdir(path.join(cwd, '.schemagate')));
    await writeFile(path.join(cwd, '.schemagate', 'local-agent-token'), `${app.token}\n`);
    const result = await runCli(['list', '--json'], { SCHEMAGATE_URL: url, HOME: cwd }, cwd);
    expect(result.code).toBe(0);
  });
});
