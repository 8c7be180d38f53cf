import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/client/api-client.ts';
import { createMcpServer } from '../../src/mcp/mcp-server.ts';
import { startRecordingApi } from '../support/recording-api.ts';

/**
 * The MCP server on a real API server that records each read of a proposal
 * (`withoutLongPoll`: drops the query, as a server from before the long poll).
 */
async function connect(options: { withoutLongPoll?: boolean } = {}) {
  const { app, url, seen, reads, preview } = await startRecordingApi(
    (u) => ({ waitFor: u.searchParams.get('wait_for') }),
    options,
  );
  // A heartbeat longer than the test: each hold lasts until the proposal moves.
  const server = createMcpServer(createApiClient({ url, token: app.token }), { heartbeatMs: 50_000 });
  const client = new Client({ name: 'test-agent', version: '1.0.0' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  const call = async (name: string, args: Record<string, unknown>) =>
    (
      (await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 })) as {
        structuredContent: Record<string, any>;
      }
    ).structuredContent;
  return { call, seen, reads, preview };
}

describe('MCP wait on the long poll', () => {
  it('answers as soon as the preview is done, from a request the server held', async () => {
    const { call, seen, reads, preview } = await connect();
    const { id } = await call('propose', { title: 'Add notes', sql: 'create table notes (id bigint primary key);' });
    const waiting = call('wait', { id, timeout_seconds: 100 });
    await reads(2);
    await preview({ ok: true, result: { applied: true }, riskClass: 'low' });
    expect(await waiting).toMatchObject({ reached: true, timed_out: false, proposal: { status: 'awaiting_review' } });
    expect(seen[0]!.waitFor).toBeNull();
    // One hold at a time, each for the target; the server answers each change, the last one the arrival.
    const holds = seen.slice(1);
    expect(holds.every((s) => s.waitFor === 'awaiting_review')).toBe(true);
    expect(holds.at(-1)!.held).toBe('reached');
    expect(holds.every((s) => s.held === 'changed' || s.held === 'reached')).toBe(true);
    expect(holds.length).toBeLessThanOrEqual(3);
  });

  it('answers as soon as the preview fails, not when the hold for awaiting_review runs out', async () => {
    const { call, seen, reads, preview } = await connect();
    const { id } = await call('propose', { title: 'Broken', sql: 'create index on nope (id);' });
    const waiting = call('wait', { id, timeout_seconds: 100 });
    await reads(2);
    await preview({ ok: false, result: { error: { kind: 'apply', message: 'relation "nope" does not exist' } } });
    expect(await waiting).toMatchObject({ reached: false, timed_out: false, proposal: { status: 'preview_failed' } });
    // The hold for awaiting_review answered the failure as a change, not when its time ran out.
    expect(seen.at(-1)).toMatchObject({ waitFor: 'awaiting_review', held: 'changed' });
    expect(seen.some((s) => s.held === 'timeout')).toBe(false);
  });

  it('falls back to reading every second from a server without the long poll', async () => {
    const { call, seen, reads, preview } = await connect({ withoutLongPoll: true });
    const { id } = await call('propose', { title: 'Add notes', sql: 'create table notes (id bigint primary key);' });
    const waiting = call('wait', { id, timeout_seconds: 100 });
    await reads(3);
    await preview({ ok: true, result: { applied: true }, riskClass: 'low' });
    expect(await waiting).toMatchObject({ reached: true, proposal: { status: 'awaiting_review' } });
    expect(seen.every((s) => s.held === null)).toBe(true);
    expect(seen.slice(2).every((s) => s.waitFor === null)).toBe(true);
    expect(seen.length).toBeLessThan(12);
  });
});
