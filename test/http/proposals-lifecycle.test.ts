import { describe, expect, it } from 'vitest';
import { createTestApp, goodProposal } from '../support/app.ts';

async function propose(app: Awaited<ReturnType<typeof createTestApp>>, body: object = goodProposal, token?: string) {
  const res = await app.call('POST', '/api/proposals', { body, ...(token ? { token } : {}) });
  expect(res.status).toBe(202);
  return res.json();
}

describe('revisions', () => {
  it('adds a revision, keeps the history and goes back to received', async () => {
    const app = await createTestApp();
    const p = await propose(app);
    const res = await app.call('POST', `/api/proposals/${p.id}/revisions`, {
      body: { sql: 'create table orders (id bigint primary key);' },
    });
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body.revision).toMatchObject({
      number: 2,
      sql: 'create table orders (id bigint primary key);',
      down_sql: null,
    });
    expect(body.revisions.map((r: { number: number }) => r.number)).toEqual([1, 2]);
    expect(p.revision.diff_from_previous).toBeNull();
    expect(body.revision.diff_from_previous).toEqual([
      '-create table orders (id bigint generated always as identity primary key, total numeric not null);',
      '-',
      '+create table orders (id bigint primary key);',
    ]);
    expect(body.revisions[0].sha256).not.toBe(body.revisions[1].sha256);
    const events = await (await app.call('GET', `/api/proposals/${p.id}/events`)).json();
    expect(events.items.map((e: { type: string }) => e.type)).toEqual(['proposal.submit', 'proposal.revise']);
    expect(events.items[1].data).toMatchObject({ revision: 2 });
  });

  it('refuses a revision from another agent', async () => {
    const app = await createTestApp();
    const p = await propose(app);
    const other = await app.newToken('agent-2');
    const res = await app.call('POST', `/api/proposals/${p.id}/revisions`, {
      body: { sql: 'select 1;' },
      token: other,
    });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('not_proposal_owner');
  });

  it('validates the revision body like a proposal', async () => {
    const app = await createTestApp();
    const p = await propose(app);
    const res = await app.call('POST', `/api/proposals/${p.id}/revisions`, { body: { sql: '', title: 'x' } });
    expect(res.status).toBe(400);
    expect((await res.json()).error.details.issues).toHaveLength(2);
  });
});

describe('withdraw', () => {
  it('withdraws an open proposal, with a reason in the audit trail', async () => {
    const app = await createTestApp();
    const p = await propose(app);
    const res = await app.call('POST', `/api/proposals/${p.id}/withdraw`, { body: { reason: 'superseded' } });
    expect(res.status).toBe(200);
    expect((await res.json()).status).toBe('withdrawn');
    const events = await (await app.call('GET', `/api/proposals/${p.id}/events`)).json();
    expect(events.items.at(-1)).toMatchObject({
      type: 'proposal.withdraw',
      from_status: 'received',
      to_status: 'withdrawn',
      data: { reason: 'superseded' },
    });
  });

  it('accepts an empty body', async () => {
    const app = await createTestApp();
    const p = await propose(app);
    expect((await app.call('POST', `/api/proposals/${p.id}/withdraw`)).status).toBe(200);
  });

  it('answers 409 illegal_transition for a second withdraw or a revision after it, and changes nothing', async () => {
    const app = await createTestApp();
    const p = await propose(app);
    await app.call('POST', `/api/proposals/${p.id}/withdraw`);
    const again = await app.call('POST', `/api/proposals/${p.id}/withdraw`);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({
      error: { code: 'illegal_transition', message: expect.stringContaining('is withdrawn') },
    });
    const revise = await app.call('POST', `/api/proposals/${p.id}/revisions`, { body: { sql: 'select 1;' } });
    expect(revise.status).toBe(409);
    const after = await (await app.call('GET', `/api/proposals/${p.id}`)).json();
    expect(after).toMatchObject({ status: 'withdrawn', revision: { number: 1 } });
    const events = await (await app.call('GET', `/api/proposals/${p.id}/events`)).json();
    expect(events.items).toHaveLength(2);
  });

  it('refuses unknown fields in the body', async () => {
    const app = await createTestApp();
    const p = await propose(app);
    const res = await app.call('POST', `/api/proposals/${p.id}/withdraw`, { body: { force: true } });
    expect(res.status).toBe(400);
    expect((await (await app.call('GET', `/api/proposals/${p.id}`)).json()).status).toBe('received');
  });
});

describe('reading proposals', () => {
  it('answers 404 for unknown and malformed ids on every proposal route', async () => {
    const app = await createTestApp();
    for (const [method, path] of [
      ['GET', '/api/proposals/00000000-0000-4000-8000-000000000000'],
      ['GET', '/api/proposals/not-a-uuid'],
      ['GET', '/api/proposals/not-a-uuid/events'],
      ['POST', '/api/proposals/%E0%A4%A/withdraw'],
      ['POST', '/api/proposals/00000000-0000-4000-8000-000000000000/withdraw'],
    ] as const) {
      const res = await app.call(method, path, method === 'POST' ? { body: {} } : {});
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const revise = await app.call('POST', '/api/proposals/00000000-0000-4000-8000-000000000000/revisions', {
      body: { sql: 'select 1;' },
    });
    expect(revise.status).toBe(404);
  });

  it('lists newest first with cursor pagination and a status filter', async () => {
    const app = await createTestApp();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await propose(app, { ...goodProposal, title: `Migration ${i}` })).id);
    await app.call('POST', `/api/proposals/${ids[1]}/withdraw`);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await (await app.call('GET', `/api/proposals?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((p: { id: string }) => p.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const withdrawn = await (await app.call('GET', '/api/proposals?status=withdrawn')).json();
    expect(withdrawn.items.map((p: { id: string }) => p.id)).toEqual([ids[1]]);
    expect(withdrawn.next_cursor).toBeNull();
  });

  it('searches titles, migration names and agent names, literally, and finds a proposal by id', async () => {
    const app = await createTestApp();
    const a = await propose(app, { ...goodProposal, title: 'Add 100% totals', name: 'totals_pct' });
    const b = await propose(app, { ...goodProposal, title: 'Index orders', name: 'orders_idx' });
    const ids = async (q: string) =>
      (await (await app.call('GET', `/api/proposals?q=${encodeURIComponent(q)}`)).json()).items.map(
        (p: { id: string }) => p.id,
      );
    expect(await ids('100%')).toEqual([a.id]);
    expect(await ids('ORDERS')).toEqual([b.id]);
    expect(await ids('%')).toEqual([a.id]);
    expect(await ids('_idx')).toEqual([b.id]);
    expect(await ids('agent-1')).toEqual([b.id, a.id]);
    expect(await ids(b.id)).toEqual([b.id]);
    expect(await ids('nothing like it')).toEqual([]);
    expect((await app.call('GET', '/api/proposals?q=')).status).toBe(400);
  });

  it("lists only the asking agent's proposals with mine=true", async () => {
    const app = await createTestApp();
    const other = await app.newToken('agent-2');
    const mine = await propose(app);
    const theirs = await propose(app, goodProposal, other);
    const ids = async (query: string, token?: string) =>
      (await (await app.call('GET', `/api/proposals${query}`, token ? { token } : {})).json()).items.map(
        (p: { id: string }) => p.id,
      );
    expect(await ids('?mine=true')).toEqual([mine.id]);
    expect(await ids('?mine=true', other)).toEqual([theirs.id]);
    expect(await ids('?mine=false')).toEqual([theirs.id, mine.id]);
    expect((await app.call('GET', '/api/proposals?mine=yes')).status).toBe(400);
  });

  it('answers 400 for a bad cursor, status, limit or unknown parameter', async () => {
    const app = await createTestApp();
    for (const query of ['cursor=bogus', 'status=nope', 'limit=0', 'limit=1000', 'limit=abc', 'colour=blue']) {
      const res = await app.call('GET', `/api/proposals?${query}`);
      expect(res.status, query).toBe(400);
      expect(['invalid_cursor', 'validation_failed']).toContain((await res.json()).error.code);
    }
  });
});

describe('meta endpoints', () => {
  it('reports health with the database reachable', async () => {
    const app = await createTestApp();
    const res = await app.call('GET', '/api/health', { token: null });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: 'ok' });
  });

  it('serves an OpenAPI 3.1 document generated from the zod schemas', async () => {
    const app = await createTestApp();
    const doc = await (await app.call('GET', '/api/openapi.json', { token: null })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/proposals',
        '/api/proposals/{id}',
        '/api/proposals/{id}/revisions',
        '/api/proposals/{id}/withdraw',
        '/api/proposals/{id}/events',
        '/api/health',
      ]),
    );
    const create = doc.components.schemas.CreateProposal;
    expect(create.required).toEqual(['title', 'sql']);
    expect(create.additionalProperties).toBe(false);
    expect(doc.components.schemas.Proposal.properties.status.enum).toContain('awaiting_review');
  });
});
