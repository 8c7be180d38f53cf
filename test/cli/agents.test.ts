import { describe, expect, it } from 'vitest';
import { createTestApp, goodProposal } from '../support/app.ts';
import { runCli } from '../support/cli.ts';

describe('schemagate agents', () => {
  it('creates an agent whose token works once printed, lists it, and revokes it', async () => {
    const app = await createTestApp();
    const env = { DATABASE_URL: app.database.url };
    const created = await runCli(['agents', 'create', 'claude', '--json'], env);
    expect(created.code).toBe(0);
    const { token, agent } = JSON.parse(created.stdout);
    expect(token).toMatch(/^sg_[A-Za-z0-9_-]{43}$/);
    expect(agent).toMatchObject({ name: 'claude', scopes: ['propose', 'read'] });
    expect((await app.call('POST', '/api/proposals', { body: goodProposal, token })).status).toBe(202);

    const { rows } = await app.database.pool.query(`select token_hash from schemagate.agents where name = 'claude'`);
    expect(rows[0].token_hash).not.toContain(token);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);

    const list = await runCli(['agents', 'list'], env);
    expect(list.stdout).toMatch(/^NAME\s+KIND\s+TOKEN\s+SCOPES/);
    expect(list.stdout).toContain('claude');
    expect(list.stdout).not.toContain(token);

    const revoked = await runCli(['agents', 'revoke', 'claude', '--json'], env);
    expect(revoked.code).toBe(0);
    expect(JSON.parse(revoked.stdout).agent.revoked_at).not.toBeNull();
    expect((await app.call('GET', '/api/proposals', { token })).status).toBe(401);
    expect(
      JSON.parse((await runCli(['agents', 'list', '--json'], env)).stdout).agents.map((a: { name: string }) => a.name),
    ).toEqual(['agent-1']);
    expect(JSON.parse((await runCli(['agents', 'list', '--all', '--json'], env)).stdout).agents).toHaveLength(2);
  });

  it('creates a read-only agent with --scope', async () => {
    const app = await createTestApp();
    const { stdout } = await runCli(['agents', 'create', 'watcher', '--scope', 'read', '--json'], {
      DATABASE_URL: app.database.url,
    });
    const { token } = JSON.parse(stdout);
    expect((await app.call('POST', '/api/proposals', { body: goodProposal, token })).status).toBe(403);
  });

  it('exits 2 on usage errors and 1 on failed operations, with clear messages', async () => {
    const app = await createTestApp();
    const env = { DATABASE_URL: app.database.url };
    const cases: Array<[string[], number, RegExp]> = [
      [['agents', 'create', 'bad name'], 2, /agent name: use 1-63 letters/],
      [['agents', 'create', 'x', '--scope', 'admin'], 2, /unknown scope admin/],
      [['agents', 'create'], 2, /agent name/],
      [['agents', 'fly'], 2, /unknown action "fly"/],
      [['agents', 'list', '--colour'], 2, /Unknown option '--colour'/],
      [['agents', 'revoke', 'nobody'], 1, /no active agent named "nobody"/],
      [['agents', 'create', 'agent-1'], 1, /already exists/],
      [['nonsense'], 2, /unknown command "nonsense"/],
    ];
    for (const [argv, code, message] of cases) {
      const result = await runCli(argv, env);
      expect(result.code, argv.join(' ')).toBe(code);
      expect(result.stderr, argv.join(' ')).toMatch(message);
    }
  });

  it('reports an invalid configuration as a usage error, listing each problem', async () => {
    const result = await runCli(['agents', 'list'], { DATABASE_URL: 'mysql://nope', PORT: 'abc' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('env DATABASE_URL');
    expect(result.stderr).toContain('env PORT');
  });
});

describe('schemagate db migrate', () => {
  it('reports an up-to-date control plane', async () => {
    const app = await createTestApp();
    const result = await runCli(['db', 'migrate', '--json'], { DATABASE_URL: app.database.url });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ applied: 0, embedded: false });
  });
});

describe('schemagate --help', () => {
  it('lists the commands', async () => {
    const result = await runCli(['--help'], {});
    expect(result.code).toBe(0);
    for (const command of ['serve', 'agents', 'db']) expect(result.stdout).toContain(`  ${command} `);
  });
});

describe('reviewer tokens', () => {
  it('are created with --reviewer, can read but never propose', async () => {
    const app = await createTestApp();
    const env = { DATABASE_URL: app.database.url };
    const created = await runCli(['agents', 'create', 'dana', '--reviewer', '--json'], env);
    const { token, agent } = JSON.parse(created.stdout);
    expect(agent).toMatchObject({ kind: 'reviewer', scopes: ['review', 'read'] });
    expect((await app.call('GET', '/api/proposals', { token })).status).toBe(200);
    expect((await app.call('POST', '/api/proposals', { body: goodProposal, token })).status).toBe(403);
  });

  it('cannot give an agent the review scope', async () => {
    const app = await createTestApp();
    const result = await runCli(['agents', 'create', 'sneaky', '--scope', 'review'], {
      DATABASE_URL: app.database.url,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown scope review');
  });
});
