import { describe, expect, it } from 'vitest';
import { revokeAgent } from '../../src/agents/agents.ts';
import { createTestApp, goodProposal } from '../support/app.ts';

async function errorOf(res: Response) {
  const body = await res.json();
  return {
    status: res.status,
    code: body.error?.code,
    message: body.error?.message as string,
    details: body.error?.details,
  };
}

async function proposalCount(app: Awaited<ReturnType<typeof createTestApp>>) {
  const { rows } = await app.database.pool.query('select count(*)::int as n from schemagate.proposals');
  return rows[0].n as number;
}

describe('bad input to POST /api/proposals', () => {
  it('answers 400 invalid_json for malformed JSON', async () => {
    const app = await createTestApp();
    const res = await app.call('POST', '/api/proposals', {
      rawBody: '{"title": "x", ',
      headers: { 'content-type': 'application/json' },
    });
    expect(await errorOf(res)).toMatchObject({ status: 400, code: 'invalid_json' });
  });

  it('answers 400 invalid_json for bytes that are not UTF-8', async () => {
    const app = await createTestApp();
    const res = await app.call('POST', '/api/proposals', {
      rawBody: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
      headers: { 'content-type': 'application/json' },
    });
    expect(await errorOf(res)).toMatchObject({ status: 400, code: 'invalid_json' });
  });

  it('lists every field error at once: wrong types, missing and unknown fields', async () => {
    const app = await createTestApp();
    const res = await app.call('POST', '/api/proposals', {
      body: { title: 42, sql: '  ', extra: true, name: 'Bad Name' },
    });
    const error = await errorOf(res);
    expect(error).toMatchObject({ status: 400, code: 'validation_failed' });
    const paths = error.details.issues.map((i: { path: string }) => i.path).sort();
    expect(paths).toEqual(['', 'name', 'sql', 'title']);
    expect(error.message).toContain('unknown field "extra"');
  });

  it.each([
    ['a JSON array', []],
    ['a JSON string', 'create table t ()'],
    ['null', null],
  ])('refuses %s as the body', async (_name, body) => {
    const app = await createTestApp();
    expect(await errorOf(await app.call('POST', '/api/proposals', { body }))).toMatchObject({
      status: 400,
      code: 'validation_failed',
    });
  });

  it('refuses NUL characters, which Postgres cannot store in text', async () => {
    const app = await createTestApp();
    const res = await app.call('POST', '/api/proposals', { body: { ...goodProposal, sql: 'select 1;\u0000' } });
    expect(await errorOf(res)).toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('answers 415 when the body is not declared as JSON', async () => {
    const app = await createTestApp();
    const res = await app.call('POST', '/api/proposals', {
      rawBody: JSON.stringify(goodProposal),
      headers: { 'content-type': 'text/plain' },
    });
    expect(await errorOf(res)).toMatchObject({ status: 415, code: 'unsupported_media_type' });
  });

  it('answers 413 sql_too_large above the SQL cap', async () => {
    const app = await createTestApp({ maxSqlBytes: 2048 });
    const res = await app.call('POST', '/api/proposals', {
      body: { ...goodProposal, sql: `select '${'x'.repeat(2100)}';` },
    });
    expect(await errorOf(res)).toMatchObject({
      status: 413,
      code: 'sql_too_large',
      details: { field: 'sql', max_bytes: 2048 },
    });
  });

  it('answers 413 payload_too_large for an oversized body, declared or streamed', async () => {
    const app = await createTestApp({ maxBodyBytes: 4096 });
    const big = JSON.stringify({ ...goodProposal, description: 'x'.repeat(5000) });
    const declared = await app.call('POST', '/api/proposals', {
      rawBody: big,
      headers: { 'content-type': 'application/json', 'content-length': String(big.length) },
    });
    expect(await errorOf(declared)).toMatchObject({ status: 413, code: 'payload_too_large' });
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const streamed = await app.call('POST', '/api/proposals', {
      rawBody: stream,
      headers: { 'content-type': 'application/json' },
    });
    expect(await errorOf(streamed)).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(await proposalCount(app)).toBe(0);
  });

  it('answers 401 without a token, with an unknown token and with a revoked token', async () => {
    const app = await createTestApp();
    const missing = await app.call('POST', '/api/proposals', { body: goodProposal, token: null });
    expect(await errorOf(missing)).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(missing.headers.get('www-authenticate')).toContain('Bearer');
    const unknown = await app.call('POST', '/api/proposals', { body: goodProposal, token: 'sg_not-a-real-token' });
    expect(await errorOf(unknown)).toMatchObject({ status: 401, code: 'unauthorized' });
    const basic = await app.call('POST', '/api/proposals', {
      body: goodProposal,
      token: null,
      headers: { authorization: 'Basic Zm9vOmJhcg==' },
    });
    expect(await errorOf(basic)).toMatchObject({ status: 401, code: 'unauthorized' });

    const token = await app.newToken('short-lived');
    expect((await app.call('POST', '/api/proposals', { body: goodProposal, token })).status).toBe(202);
    await app.database.db.transaction((tx) => revokeAgent(tx, 'short-lived'));
    const revoked = await app.call('POST', '/api/proposals', { body: goodProposal, token });
    expect(await errorOf(revoked)).toMatchObject({
      status: 401,
      code: 'unauthorized',
      message: 'the token is unknown or has been revoked',
    });
    expect(await proposalCount(app)).toBe(1);
  });

  it('answers 403 when the token lacks the propose scope', async () => {
    const app = await createTestApp();
    const reader = await app.newToken('reader', ['read']);
    const res = await app.call('POST', '/api/proposals', { body: goodProposal, token: reader });
    expect(await errorOf(res)).toMatchObject({
      status: 403,
      code: 'insufficient_scope',
      details: { required: 'propose' },
    });
    expect((await app.call('GET', '/api/proposals', { token: reader })).status).toBe(200);
  });

  it('answers 429 with Retry-After past the per-token rate limit, per token', async () => {
    const app = await createTestApp({ rateLimit: { requests: 3, windowSeconds: 60 } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await app.call('GET', '/api/proposals')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await app.call('GET', '/api/proposals');
    expect(await errorOf(limited)).toMatchObject({ status: 429, code: 'rate_limited' });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const other = await app.newToken('agent-2');
    expect((await app.call('GET', '/api/proposals', { token: other })).status).toBe(200);
  });

  it('never answers 500 to unknown routes and methods', async () => {
    const app = await createTestApp();
    expect(await errorOf(await app.call('GET', '/api/nothing-here'))).toMatchObject({
      status: 404,
      code: 'route_not_found',
    });
    const res = await app.call('DELETE', '/api/proposals');
    expect(await errorOf(res)).toMatchObject({ status: 405, code: 'method_not_allowed' });
    expect(res.headers.get('allow')).toBe('GET, POST');
    expect(app.logged).toEqual([]);
  });
});
