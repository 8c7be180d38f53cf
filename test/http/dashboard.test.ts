import { describe, expect, it } from 'vitest';
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
});
