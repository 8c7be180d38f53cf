import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { checkRolePrivileges } from '../../src/database/role-privileges.ts';
import { withClient } from '../../src/database/server-admin.ts';
import { createTestDatabase } from '../support/database.ts';
import { agentHeaders, closeServe, closeServes, postProposal, startServe, tokenHeaders } from '../support/serve.ts';

const dirs: string[] = [];
afterEach(async () => {
  // Hooks after a test run last-registered first: the servers (and their embedded Postgres) stop before their data goes.
  await closeServes();
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const proposal = {
  title: 'Add notes',
  sql: 'create table notes (id bigint generated always as identity primary key, body text not null);',
};

describe('schemagate serve over a real socket', () => {
  it('serves the functions through the opt-in @netlify/dev emulation (--netlify-dev) on DATABASE_URL', async () => {
    const database = await createTestDatabase();
    const headers = await agentHeaders(database, 'socket-agent');
    const server = await startServe({ databaseUrl: database.url }, { netlifyDev: true });
    expect(server.localToken).toBeUndefined();

    const created = await postProposal(server.url, headers, proposal);
    expect(created.status).toBe(202);
    const { id } = await created.json();
    const got = await fetch(`${server.url}/api/proposals/${id}`, { headers });
    // The in-process worker may already have taken it up (and, with no production configured, failed it).
    const body = await got.json();
    expect(body).toMatchObject({ id, title: 'Add notes' });
    expect(['received', 'previewing', 'preview_failed']).toContain(body.status);

    const bad = await fetch(`${server.url}/api/proposals`, { method: 'POST', headers, body: '{"title":' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('invalid_json');
    const health = await fetch(`${server.url}/api/health`);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const unknown = await fetch(`${server.url}/not-an-endpoint`);
    expect(unknown.status).toBe(404);
    // @netlify/dev bundles the function again for every request (seconds each with a real
    // node_modules, more on a busy machine): this opt-in emulation path gets room, not a race.
  }, 180_000);

  it('on the embedded default: starts Postgres, creates a local agent once, and the printed token works', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sg-serve-'));
    dirs.push(dataDir);
    await chmod(dataDir, 0o755);
    // Occupy the embedded default port, as another Postgres would (waiting for it, should another test hold it).
    const blocker = await holdPort(54329);
    try {
      const first = await startServe({ dataDir });
      expect(first.localToken).toMatch(/^sg_/);
      expect(first.databaseUrl).not.toContain(':54329/');
      // Its local production is promoted to as a migrator that passes the check, not as the superuser.
      const production = new URL(first.productionUrl!);
      expect([production.username, production.pathname]).toEqual(['sg_migrator', '/production']);
      expect((await withClient(first.productionUrl!, (c) => checkRolePrivileges(c))).problems).toEqual([]);
      // The workload check's source: what the application runs on the local production is recorded.
      expect(
        (
          await withClient(first.productionUrl!, (c) =>
            c.query(`select extname from pg_extension where extname = 'pg_stat_statements'`),
          )
        ).rowCount,
      ).toBe(1);
      const file = path.join(dataDir, 'local-agent-token');
      expect((await readFile(file, 'utf8')).trim()).toBe(first.localToken);
      expect((await stat(file)).mode & 0o777).toBe(0o600);

      const headers = tokenHeaders(first.localToken!);
      const created = await postProposal(first.url, headers, proposal);
      expect(created.status).toBe(202);
      const { id } = await created.json();
      await closeServe(first);

      const second = await startServe({ dataDir });
      expect(second.localToken).toBeUndefined();
      // The same migrator and password on every start (the port may change).
      expect(new URL(second.productionUrl!).password).toBe(production.password);
      const got = await fetch(`${second.url}/api/proposals/${id}`, { headers });
      expect(got.status).toBe(200);
    } finally {
      blocker.close();
    }
    // Two embedded starts (initdb, the control plane, the local production and its migrator): room for a busy machine.
  }, 180_000);

  it('refuses to start with a PRODUCTION_DATABASE_URL whose role is too powerful', async () => {
    const database = await createTestDatabase();
    await expect(
      startServe({ databaseUrl: database.url, productionUrl: database.url, previewServerUrl: inject('adminUrl') }),
    ).rejects.toMatchObject({
      code: 'production_role_too_powerful',
      message: expect.stringContaining('schemagate production setup --admin-url'),
    });
  });

  it('says which port is taken when the HTTP port is in use', async () => {
    const database = await createTestDatabase();
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(startServe({ databaseUrl: database.url, port })).rejects.toMatchObject({
        code: 'port_in_use',
        message: expect.stringContaining(`port ${port} is in use`),
      });
    } finally {
      blocker.close();
    }
  });
});

async function holdPort(port: number): Promise<net.Server> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const server = net.createServer();
    const held = await new Promise<boolean>((resolve) =>
      server.once('error', () => resolve(false)).listen(port, '127.0.0.1', () => resolve(true)),
    );
    if (held) return server;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`port ${port} stayed taken for a minute`);
}
