import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../src/agents/agents.ts';
import { loadFunctionRoutes } from '../../src/server/function-routes.ts';
import { projectRoot, type RunningServer } from '../../src/server/serve.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startServe } from '../support/serve.ts';

// Over a real socket through `schemagate serve`, as a client would send them.
async function start(): Promise<{ server: RunningServer; database: TestDatabase; token: string; reviewer: string }> {
  const database = await createTestDatabase();
  const { token } = await database.db.transaction((tx) =>
    createAgent(tx, { name: 'hostile-agent', scopes: ['propose', 'read'] }),
  );
  const reviewer = (
    await database.db.transaction((tx) =>
      createAgent(tx, { name: 'dana', scopes: ['review', 'read'], kind: 'reviewer' }),
    )
  ).token;
  const server = await startServe({ databaseUrl: database.url });
  return { server, database, token, reviewer };
}

// A stack frame ("at fn (file.ts:1:2)") or an error class name: internals a response must never carry.
const internals = /\bat .*:\d+:\d+|[A-Z]\w*Error\b|node_modules|\.ts\b/;

describe('query-string keys are plain data', () => {
  it('answers every route with __proto__, constructor and friends in the query without a 5xx or internals', async () => {
    const { server, token } = await start();
    const pathnames = (await loadFunctionRoutes(path.join(projectRoot, 'netlify', 'functions'))).flatMap((r) =>
      r.paths.map((p) => p.replace(/\*|:\w+/g, '00000000-0000-4000-8000-000000000000')),
    );
    pathnames.push('/api/proposals/__proto__', '/api/proposals/constructor/events', '/__proto__', '/api/proposals');
    const queries = [
      '__proto__=1',
      '__proto__[polluted]=1',
      'constructor=x&prototype=y',
      'toString=1&hasOwnProperty=1&valueOf=2',
      'status=__proto__&limit=constructor',
      '__proto__=1&__proto__=2',
    ];
    let sent = 0;
    for (const pathname of pathnames) {
      for (const query of queries) {
        for (const auth of [{}, { authorization: `Bearer ${token}` }] as Array<Record<string, string>>) {
          for (const method of ['GET', 'POST']) {
            const res = await fetch(`${server.url}${pathname}?${query}`, {
              method,
              headers: { ...auth, 'content-type': 'application/json' },
              ...(method === 'POST' ? { body: '{"__proto__":{"polluted":1},"title":"t","sql":"select 1"}' } : {}),
            });
            const body = await res.text();
            const where = `${method} ${pathname}?${query}`;
            expect(res.status, where).toBeLessThan(500);
            if (!pathname.startsWith('/api/') && res.status === 200) continue; // the dashboard page is HTML
            expect(body, where).not.toMatch(internals);
            sent++;
          }
        }
      }
    }
    expect(sent).toBeGreaterThan(100);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const listed = await fetch(`${server.url}/api/proposals?__proto__=1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(listed.status).toBe(400);
    expect((await listed.json()).error).toMatchObject({
      code: 'validation_failed',
      message: 'invalid query: unknown field "__proto__"',
    });
  });
});

describe('lone UTF-16 surrogates in stored text', () => {
  const post = (server: RunningServer, token: string, pathname: string, body: unknown) =>
    fetch(`${server.url}${pathname}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      // JSON.stringify writes a lone surrogate as the escape "\ud800", as a hostile client would.
      body: JSON.stringify(body),
    });

  async function expectRefused(res: Response, field: string) {
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe('validation_failed');
    expect(error.details.issues).toEqual([
      expect.objectContaining({ path: field, message: expect.stringContaining('lone UTF-16 surrogate') }),
    ]);
  }

  it('refuses them with 400 validation_failed in every text field, and stores nothing', async () => {
    const { server, database, token, reviewer } = await start();
    const good = { title: 'Add notes', sql: 'create table notes (id bigint primary key);' };
    await expectRefused(await post(server, token, '/api/proposals', { ...good, title: 'notes \ud800' }), 'title');
    await expectRefused(
      await post(server, token, '/api/proposals', { ...good, description: '\udfff tail' }),
      'description',
    );
    await expectRefused(await post(server, token, '/api/proposals', { ...good, sql: "select '\ud83d';" }), 'sql');
    await expectRefused(
      await post(server, token, '/api/proposals', { ...good, down_sql: 'drop table notes; -- \udc00' }),
      'down_sql',
    );
    expect((await database.pool.query('select count(*)::int as n from schemagate.proposals')).rows[0].n).toBe(0);

    const created = await post(server, token, '/api/proposals', {
      ...good,
      description: 'a pair is fine: \ud83d\ude00',
    });
    expect(created.status).toBe(202);
    const { id, description } = await created.json();
    expect(description).toBe('a pair is fine: 😀');
    await expectRefused(
      await post(server, token, `/api/proposals/${id}/revisions`, { sql: "select '\ud800';" }),
      'sql',
    );
    await expectRefused(
      await post(server, reviewer, `/api/proposals/${id}/reviews`, { state: 'comment', comment: 'hm \ud800' }),
      'comment',
    );
    // The reported case: the reason went into the audit event's jsonb and failed there with a 500.
    await expectRefused(await post(server, token, `/api/proposals/${id}/withdraw`, { reason: '\ud800' }), 'reason');
    const events = await database.pool.query(`select type from schemagate.audit_events where proposal_id = $1`, [id]);
    expect(events.rows.map((r) => r.type)).not.toContain('withdrawn');
    const withdrawn = await post(server, token, `/api/proposals/${id}/withdraw`, { reason: 'superseded' });
    expect((await withdrawn.json()).status).toBe('withdrawn');
  });
});
