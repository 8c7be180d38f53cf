import { describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app.ts';

describe('the 202 of a proposal carries the static findings', () => {
  it("returns the rules' findings and risk class at once, before any preview ran", async () => {
    const app = await createTestApp();
    const res = await app.call('POST', '/api/proposals', {
      body: {
        title: 'Index orders',
        sql: 'alter table orders add column note text;\ncreate index orders_total on orders (total);\n',
      },
    });
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body.status).toBe('received');
    expect(body.preview?.status ?? 'queued').toBe('queued');
    expect(body.static_analysis.risk_class).toMatch(/^(low|medium|high)$/);
    const index = body.static_analysis.findings.find((f: { code: string }) => f.code === 'SG101');
    expect(index).toMatchObject({
      severity: 'warning',
      line: 2,
      column: expect.any(Number),
      statement_index: 1,
      suggestion: expect.stringContaining('CONCURRENTLY'),
    });
    // GET shows the proposal as stored; the static view is part of the answer to a submission only.
    const got = await (await app.call('GET', `/api/proposals/${body.id}`)).json();
    expect(got.static_analysis).toBeUndefined();
  });

  it('marks a guardrail violation forbidden in the 202, and a revision gets its own verdict', async () => {
    const app = await createTestApp();
    const created = await (
      await app.call('POST', '/api/proposals', { body: { title: 'Tune', sql: "alter system set work_mem = '1GB';" } })
    ).json();
    expect(created.static_analysis.risk_class).toBe('forbidden');
    expect(created.static_analysis.findings.some((f: { category: string }) => f.category === 'guardrail')).toBe(true);
    const revised = await app.call('POST', `/api/proposals/${created.id}/revisions`, {
      body: { sql: 'create table notes (id bigint primary key);' },
    });
    expect(revised.status).toBe(202);
    const body = await revised.json();
    expect(body.static_analysis.risk_class).not.toBe('forbidden');
    expect(body.static_analysis.findings.filter((f: { category: string }) => f.category === 'guardrail')).toEqual([]);
  });

  it('reports a syntax error as SG001 with its position, not as a request error', async () => {
    const app = await createTestApp();
    const res = await app.call('POST', '/api/proposals', {
      body: { title: 'Typo', sql: 'create tabel notes (id int);' },
    });
    expect(res.status).toBe(202);
    const { static_analysis } = await res.json();
    expect(static_analysis.findings[0]).toMatchObject({ code: 'SG001', line: 1 });
  });
});
