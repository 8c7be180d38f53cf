import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFunctionRoutes } from '../../src/server/function-routes.ts';
import { projectRoot } from '../../src/server/serve.ts';
import { createTestDatabase } from '../support/database.ts';
import { freePort } from '../../src/database/embedded-postgres.ts';
import { agentHeaders, closeServe, postProposal, startServe } from '../support/serve.ts';

const functionsDir = path.join(projectRoot, 'netlify', 'functions');

/** A concrete pathname for a `config.path` pattern: every `*` and `:param` filled in. */
const concrete = (pattern: string, filler: string) => pattern.replace(/\*|:[A-Za-z_]\w*/g, filler);

describe('schemagate serve, in-process', () => {
  it("answers every function's config.path exactly as the function itself does", async () => {
    const database = await createTestDatabase();
    const server = await startServe({ databaseUrl: database.url });
    const routes = await loadFunctionRoutes(functionsDir);
    // Read from the files, so a function added later is covered without editing this test.
    expect(routes.map((r) => r.name)).toEqual(
      expect.arrayContaining(['proposals', 'health', 'github-webhook', 'openapi']),
    );
    let checked = 0;
    for (const route of routes) {
      for (const pattern of route.paths) {
        for (const filler of ['00000000-0000-4000-8000-000000000000', 'x/y']) {
          const pathname = concrete(pattern, filler);
          if (pathname === pattern && filler !== 'x/y') continue;
          const viaServe = await fetch(`${server.url}${pathname}`);
          const direct = await route.handler(new Request(`http://localhost${pathname}`), {
            params: {},
            requestId: 'test',
          });
          const where = `${route.name}: ${pathname}`;
          expect(viaServe.status, where).toBe(direct.status);
          expect(viaServe.headers.get('content-type'), where).toBe(direct.headers.get('content-type'));
          // serve's own 404 words differ from the API router's: equal bodies mean the function answered.
          if (direct.headers.get('content-type')?.includes('json'))
            expect(await viaServe.json(), where).toEqual(await direct.json());
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(7);
    const unknown = await fetch(`${server.url}/api/nothing-here`);
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe('route_not_found');
  });

  it('serves the API over a socket: propose, read, bad JSON, one access-log line per request', async () => {
    const database = await createTestDatabase();
    const headers = await agentHeaders(database, 'socket-agent');
    const lines: string[] = [];
    const server = await startServe({ databaseUrl: database.url }, { log: (line) => lines.push(line) });
    lines.splice(0);
    const proposal = { title: 'Add notes', sql: 'create table notes (id bigint primary key);' };
    const created = await postProposal(server.url, headers, proposal);
    expect(created.status).toBe(202);
    const { id } = await created.json();
    const got = await fetch(`${server.url}/api/proposals/${id}?token=secret`, { headers });
    expect(await got.json()).toMatchObject({ id, title: 'Add notes' });
    const bad = await fetch(`${server.url}/api/proposals`, { method: 'POST', headers, body: '{"title":' });
    expect((await bad.json()).error.code).toBe('invalid_json');

    const access = lines.filter((l) => / (GET|POST) \//.test(l));
    expect(access).toHaveLength(3);
    expect(access[0]).toMatch(/ POST \/api\/proposals 202 \d+\.\dms$/);
    expect(access[1]).toMatch(new RegExp(` GET /api/proposals/${id} 200 `));
    // The query is the client's data: it stays out of the log.
    expect(access.join('\n')).not.toContain('secret');
  });

  it('wakes the worker with NOTIFY when a proposal is queued, without waiting for its poll', async () => {
    const database = await createTestDatabase();
    const headers = await agentHeaders(database, 'notify-agent');
    // A poll that never comes during the test: only the notification can start the preview.
    const server = await startServe({ databaseUrl: database.url }, { workerPollMs: 600_000 });
    const created = await postProposal(server.url, headers, {
      title: 'Wake',
      sql: 'create table wake (id bigint primary key);',
    });
    const { id } = await created.json();
    let status = 'received';
    await waitFor(
      () => status !== 'received',
      20_000,
      () => status,
      async () => (status = (await (await fetch(`${server.url}/api/proposals/${id}`, { headers })).json()).status),
    );
    // No production is configured here: the preview is taken up and fails, which is all this needs.
    expect(['previewing', 'preview_failed']).toContain(status);
  });

  it('finishes a request in flight when it closes, then refuses new connections', async () => {
    const database = await createTestDatabase();
    const headers = await agentHeaders(database, 'slow-agent');
    const server = await startServe({ databaseUrl: database.url });
    const body = JSON.stringify({ title: 'Slow upload', sql: 'create table slow (id bigint primary key);' });
    const { port } = new URL(server.url);
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/proposals',
          method: 'POST',
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      // Half the body now, the rest after shutdown has begun.
      req.write(body.slice(0, 10));
      setTimeout(() => req.end(body.slice(10)), 300);
    });
    await new Promise((r) => setTimeout(r, 100));
    const closed = closeServe(server);
    expect((await response).status).toBe(202);
    await closed;
    await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();
  });

  it('the serve command exits 0 on SIGTERM after draining', async () => {
    const database = await createTestDatabase();
    const port = await freePort(0);
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'schemagate.js'), 'serve'], {
      env: { ...process.env, DATABASE_URL: database.url, PORT: String(port), PRODUCTION_DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor(
        () => out.includes('schemagate is serving'),
        30_000,
        () => out,
      );
      expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(out).toContain('SIGTERM: shutting down');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});

async function waitFor(
  ok: () => boolean,
  ms: number,
  show: () => string,
  refresh?: () => Promise<unknown>,
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    await refresh?.();
    if (ok()) return;
    if (Date.now() > deadline) throw new Error(`timed out; last seen:\n${show()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
