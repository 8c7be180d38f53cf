import { describe, expect, it } from 'vitest';
import { createTestApp, goodProposal } from '../support/app.ts';

describe('POST /api/proposals', () => {
  it('stores a proposal as received and returns it with links', async () => {
    const app = await createTestApp();
    const res = await app.call('POST', '/api/proposals', { body: goodProposal });
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body).toMatchObject({
      status: 'received',
      title: 'Add orders table',
      name: 'add_orders_table',
      agent: { name: 'agent-1' },
      revision: { number: 1, sql: goodProposal.sql, down_sql: goodProposal.down_sql },
      links: { self: `/api/proposals/${body.id}`, events: `/api/proposals/${body.id}/events` },
    });
    expect(body.revision.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(res.headers.get('location')).toBe(`/api/proposals/${body.id}`);

    const got = await app.call('GET', `/api/proposals/${body.id}`);
    expect(got.status).toBe(200);
    // GET adds where the proposal stands against the approval policy; the 202 alone carries the static findings.
    const { approval, ...rest } = await got.json();
    const { static_analysis, ...stored } = body;
    expect(static_analysis).toMatchObject({ risk_class: 'low', findings: [] });
    expect(rest).toEqual(stored);
    expect(approval).toMatchObject({
      required: null,
      satisfied: false,
      blocking: ['not classified yet: the preview has not finished', 'not under review yet'],
    });
  });

  it('writes the submit audit event in the same transaction', async () => {
    const app = await createTestApp();
    const { id } = await (await app.call('POST', '/api/proposals', { body: goodProposal })).json();
    const events = await (await app.call('GET', `/api/proposals/${id}/events`)).json();
    expect(events.items).toEqual([
      expect.objectContaining({
        type: 'proposal.submit',
        from_status: null,
        to_status: 'received',
        actor: 'agent:agent-1',
      }),
    ]);
  });

  it('keeps an explicit migration name', async () => {
    const app = await createTestApp();
    const res = await app.call('POST', '/api/proposals', { body: { ...goodProposal, name: 'orders-v2' } });
    expect((await res.json()).name).toBe('orders-v2');
  });

  describe('idempotency', () => {
    it('returns the same proposal for the same key and body', async () => {
      const app = await createTestApp();
      const headers = { 'idempotency-key': 'abc-123' };
      const first = await app.call('POST', '/api/proposals', { body: goodProposal, headers });
      const second = await app.call('POST', '/api/proposals', { body: goodProposal, headers });
      expect(second.status).toBe(202);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect((await second.json()).id).toBe((await first.json()).id);
      const { rows } = await app.database.pool.query('select count(*)::int as n from schemagate.proposals');
      expect(rows[0].n).toBe(1);
    });

    it('refuses the same key with a different body', async () => {
      const app = await createTestApp();
      const headers = { 'idempotency-key': 'abc-123' };
      const first = await (await app.call('POST', '/api/proposals', { body: goodProposal, headers })).json();
      const res = await app.call('POST', '/api/proposals', { body: { ...goodProposal, sql: 'select 1;' }, headers });
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({
        error: { code: 'idempotency_key_reused', details: { proposal_id: first.id } },
      });
    });

    it('scopes keys to the agent', async () => {
      const app = await createTestApp();
      const other = await app.newToken('agent-2');
      const headers = { 'idempotency-key': 'shared' };
      const a = await (await app.call('POST', '/api/proposals', { body: goodProposal, headers })).json();
      const b = await (await app.call('POST', '/api/proposals', { body: goodProposal, headers, token: other })).json();
      expect(a.id).not.toBe(b.id);
    });

    it('creates exactly one proposal from 20 concurrent identical submissions', async () => {
      const app = await createTestApp();
      const headers = { 'idempotency-key': 'burst' };
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => app.call('POST', '/api/proposals', { body: goodProposal, headers })),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(202));
      const ids = new Set(await Promise.all(responses.map(async (r) => (await r.json()).id)));
      expect(ids.size).toBe(1);
      const { rows } = await app.database.pool.query(
        `select (select count(*)::int from schemagate.proposals) as proposals,
                (select count(*)::int from schemagate.proposal_revisions) as revisions,
                (select count(*)::int from schemagate.audit_events where type = 'proposal.submit') as events`,
      );
      expect(rows[0]).toEqual({ proposals: 1, revisions: 1, events: 1 });
    });

    it('rejects a malformed key', async () => {
      const app = await createTestApp();
      const res = await app.call('POST', '/api/proposals', {
        body: goodProposal,
        headers: { 'idempotency-key': 'x'.repeat(256) },
      });
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe('validation_failed');
    });
  });
});
