import { describe, expect, it } from 'vitest';
import { processNextPreview } from '../../src/jobs/preview-worker.ts';
import { createTestApp, goodProposal } from '../support/app.ts';

describe('GET /api/proposals/:id?wait_for= (long poll)', () => {
  it('answers as soon as the proposal reaches the status, with Schemagate-Wait: reached', async () => {
    const app = await createTestApp();
    const { id } = await (await app.call('POST', '/api/proposals', { body: goodProposal })).json();
    const waiting = app.call('GET', `/api/proposals/${id}?wait_for=withdrawn&timeout=20`);
    await new Promise((r) => setTimeout(r, 300));
    expect((await app.call('POST', `/api/proposals/${id}/withdraw`, { body: { reason: 'not needed' } })).status).toBe(
      200,
    );
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.headers.get('schemagate-wait')).toBe('reached');
    expect((await res.json()).status).toBe('withdrawn');
  });

  it('answers at once with "ended" when the proposal ended in another status', async () => {
    const app = await createTestApp();
    const { id } = await (await app.call('POST', '/api/proposals', { body: goodProposal })).json();
    await app.call('POST', `/api/proposals/${id}/withdraw`, { body: {} });
    const res = await app.call('GET', `/api/proposals/${id}?wait_for=awaiting_review&timeout=50`);
    expect(res.headers.get('schemagate-wait')).toBe('ended');
    expect((await res.json()).status).toBe('withdrawn');
  });

  it('answers with "changed" as soon as the proposal moves on, a failure included', async () => {
    const app = await createTestApp();
    const { id } = await (await app.call('POST', '/api/proposals', { body: goodProposal })).json();
    const waiting = app.call('GET', `/api/proposals/${id}?wait_for=awaiting_review&timeout=20`);
    await new Promise((r) => setTimeout(r, 300));
    const failed = await processNextPreview({
      db: app.database.db,
      worker: 'w',
      leaseMs: 10_000,
      execute: async () => ({
        ok: false,
        result: { error: { kind: 'infrastructure', message: 'branch server down' } },
      }),
    });
    expect(failed).toBe('completed');
    const res = await waiting;
    expect(res.headers.get('schemagate-wait')).toBe('changed');
    expect(['previewing', 'preview_failed']).toContain((await res.json()).status);
    // Waiting again from preview_failed holds until it moves on; time runs out here.
    const again = await app.call('GET', `/api/proposals/${id}?wait_for=awaiting_review&timeout=0.5`);
    expect(again.headers.get('schemagate-wait')).toBe('timeout');
    expect((await again.json()).status).toBe('preview_failed');
  });

  it('answers with the current state and "timeout" when time runs out', async () => {
    const app = await createTestApp();
    const { id } = await (await app.call('POST', '/api/proposals', { body: goodProposal })).json();
    const res = await app.call('GET', `/api/proposals/${id}?wait_for=promoted&timeout=0.5`);
    expect(res.status).toBe(200);
    expect(res.headers.get('schemagate-wait')).toBe('timeout');
    expect((await res.json()).status).toBe('received');
  });

  it('refuses an unknown status or a timeout past the function limit with 400 validation_failed', async () => {
    const app = await createTestApp();
    const { id } = await (await app.call('POST', '/api/proposals', { body: goodProposal })).json();
    for (const query of ['wait_for=done', 'wait_for=promoted&timeout=600', 'wait_for=promoted&timeout=-1']) {
      const res = await app.call('GET', `/api/proposals/${id}?${query}`);
      expect(res.status, query).toBe(400);
      expect((await res.json()).error.code).toBe('validation_failed');
    }
    // Without wait_for it is the plain read it always was, other keys ignored.
    const plain = await app.call('GET', `/api/proposals/${id}?foo=bar`);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('schemagate-wait')).toBeNull();
  });
});
