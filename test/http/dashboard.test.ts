import { describe, expect, it } from 'vitest';
import { dashboardScript } from '../../src/http/dashboard-script.ts';
import { proposalStreamRoute } from '../../src/http/routes/dashboard.ts';
import { processNextPreview } from '../../src/jobs/preview-worker.ts';
import { createTestApp, goodProposal } from '../support/app.ts';

describe('review dashboard', () => {
  it('serves one page at / and /dashboard, locked to its own origin', async () => {
    const app = await createTestApp();
    for (const path of ['/', '/dashboard']) {
      const res = await app.call('GET', path, { token: null });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
      const html = await res.text();
      expect(html).toContain('"awaiting_review"');
      expect(html).not.toContain('__STATUSES__');
    }
  });

  it("reads each proposal's report as markdown, with a read token", async () => {
    const app = await createTestApp();
    const { id } = await (await app.call('POST', '/api/proposals', { body: goodProposal })).json();
    const res = await app.call('GET', `/api/proposals/${id}/report`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/markdown');
    const report = await res.text();
    expect(report).toContain('## Add orders table');
    expect(report).toContain('(not under review yet)');
    expect((await app.call('GET', `/api/proposals/${id}/report`, { token: null })).status).toBe(401);
    expect((await app.call('GET', '/api/proposals/00000000-0000-4000-8000-000000000000/report')).status).toBe(404);
  });

  it('ships a script that parses and never hands API text to the HTML parser', () => {
    expect(() => new Function('statuses', dashboardScript)).not.toThrow();
    expect(dashboardScript).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
  });
});

describe('GET /api/proposals/:id/stream', () => {
  const timing = { pollMs: 50, heartbeatMs: 200, lifetimeMs: 1500 };
  const stream = (app: Awaited<ReturnType<typeof createTestApp>>, id: string, token: string | null = app.token) =>
    proposalStreamRoute(
      new Request(`http://localhost/api/proposals/${id}/stream`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      }),
      app.deps,
      { id },
      timing,
    );

  it('sends the current state, then a change event when the proposal moves, heartbeats between, and ends', async () => {
    const app = await createTestApp();
    const { id } = await (await app.call('POST', '/api/proposals', { body: goodProposal })).json();
    const res = await stream(app, id);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reading = res.text();
    await new Promise((resolve) => setTimeout(resolve, 400));
    await processNextPreview({
      db: app.database.db,
      worker: 'w',
      leaseMs: 5000,
      execute: async () => ({ ok: true, result: {}, riskClass: 'low' }),
    });
    const text = await reading;
    const changes = text
      .split('\n\n')
      .filter((f) => f.startsWith('event: change'))
      .map((f) => JSON.parse(f.split('data: ')[1]!).status);
    expect(changes[0]).toBe('received');
    expect(changes.at(-1)).toBe('awaiting_review');
    expect(text).toContain(': keep-alive');
  });

  it('is routed by the API at /api/proposals/:id/stream', async () => {
    const app = await createTestApp();
    const { id } = await (await app.call('POST', '/api/proposals', { body: goodProposal })).json();
    const res = await app.call('GET', `/api/proposals/${id}/stream`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(first).toMatch(/^event: change\ndata: /);
    expect(JSON.parse(first.split('data: ')[1]!).status).toBe('received');
    expect((await app.call('GET', `/api/proposals/${id}/stream`, { token: null })).status).toBe(401);
  });

  it('refuses a missing token and answers 404 for an unknown proposal before any stream starts', async () => {
    const app = await createTestApp();
    await expect(stream(app, '00000000-0000-4000-8000-000000000000', null)).rejects.toMatchObject({
      code: 'unauthorized',
    });
    await expect(stream(app, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'not_found' });
  });
});
