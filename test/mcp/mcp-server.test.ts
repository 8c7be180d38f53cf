import { spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/client/api-client.ts';
import { processNextPreview } from '../../src/jobs/preview-worker.ts';
import { createMcpServer, type McpServerOptions } from '../../src/mcp/mcp-server.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { startApiServer } from '../support/api-server.ts';

const bin = new URL('../../bin/schemagate.js', import.meta.url).pathname;
const validator = new AjvJsonSchemaValidator();

type ToolResult = {
  isError?: boolean;
  content: Array<{ type: string; text: string }>;
  structuredContent?: Record<string, unknown>;
};

/** Checks a result against the outputSchema the server itself lists for the tool. */
function expectValidAgainst(tool: Tool | undefined, result: ToolResult) {
  expect(tool?.outputSchema).toBeDefined();
  expect(result.structuredContent).toBeDefined();
  const verdict = validator.getValidator(tool!.outputSchema as never)(result.structuredContent);
  expect(verdict.errorMessage).toBeUndefined();
  expect(verdict.valid).toBe(true);
}

/** An MCP client talking to schemagate's MCP server, which talks to a running API. */
async function connectAgent(token?: string, options: McpServerOptions = {}) {
  const app = await createTestApp();
  const url = await startApiServer(app.deps);
  const server = createMcpServer(createApiClient({ url, token: token ?? app.token }), options);
  const client = new Client({ name: 'test-agent', version: '1.0.0' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  const { tools } = await client.listTools();
  const call = async (name: string, args: Record<string, unknown>) => {
    const result = (await client.callTool({ name, arguments: args })) as ToolResult;
    if (result.isError)
      return { isError: true, body: JSON.parse(result.content[0]!.text), text: result.content[0]!.text, result };
    expectValidAgainst(
      tools.find((t) => t.name === name),
      result,
    );
    return {
      isError: false,
      body: result.structuredContent as Record<string, any>,
      text: result.content[0]!.text,
      result,
    };
  };
  return { app, url, client, tools, call };
}

/** Runs the preview job with a stand-in apply until one proposal is previewed. */
async function previewOne(app: TestApp, result: Record<string, unknown> = { applied: true }) {
  const execute = async () => ({ ok: true, result, riskClass: 'low' });
  for (let i = 0; i < 200; i++) {
    const result = await processNextPreview({ db: app.database.db, execute, worker: 'w', leaseMs: 5000 });
    if (result === 'completed') return;
    if (result === 'idle') await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no preview completed');
}

describe('MCP server', () => {
  it('lists the agent tools, each with an output schema and honest annotations', async () => {
    const { tools } = await connectAgent();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'list',
      'propose',
      'report',
      'revise',
      'status',
      'wait',
      'withdraw',
    ]);
    for (const tool of tools) expect(tool.outputSchema?.type).toBe('object');
    const hints = Object.fromEntries(tools.map((t) => [t.name, t.annotations]));
    for (const name of ['status', 'wait', 'report', 'list'])
      expect(hints[name]).toMatchObject({ readOnlyHint: true, idempotentHint: true, openWorldHint: false });
    expect(hints.propose).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: false });
    expect(hints.revise).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(hints.withdraw).toMatchObject({ readOnlyHint: false, destructiveHint: true });
  });

  it('proposes, reads the status, revises and waits for the preview, with structured results and a short text', async () => {
    const { app, call } = await connectAgent();
    const proposed = await call('propose', { title: 'Add notes', sql: 'create table notes (id bigint primary key);' });
    expect(proposed).toMatchObject({ isError: false, body: { status: 'received', revision: { number: 1 } } });
    expect(proposed.text).toMatch(/^proposed: proposal .* "Add notes" is received, revision 1\.$/);
    const id = proposed.body.id as string;
    expect((await call('status', { id })).body).toMatchObject({ id, status: 'received' });
    const revised = await call('revise', { id, sql: 'create table notes (id bigint primary key, body text);' });
    expect(revised.body.revision.number).toBe(2);

    const findings = [
      { code: 'SG401', severity: 'warning', message: 'no comment' },
      { code: 'SG402', severity: 'info', message: 'allowed', suppressed: { reason: 'fine' } },
    ];
    const worker = previewOne(app, { analysis: { findings, statements: [], riskClass: 'low' } });
    const waited = await call('wait', { id, until: 'awaiting_review', timeout_seconds: 20 });
    await worker;
    expect(waited.body).toMatchObject({
      reached: true,
      timed_out: false,
      until: 'awaiting_review',
      proposal: { status: 'awaiting_review', risk_class: 'low' },
    });
    expect((await call('status', { id })).text).toMatch(
      /is awaiting_review, risk low, revision 2\. 1 finding \(0 errors\); read them in structuredContent/,
    );
  });

  it('wait returns the current state, not an error, when its own time runs out', async () => {
    const { call } = await connectAgent();
    const { body } = await call('propose', {
      title: 'Never previewed',
      sql: 'create table n (id bigint primary key);',
    });
    const started = Date.now();
    const waited = await call('wait', { id: body.id, timeout_seconds: 1 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(waited).toMatchObject({
      isError: false,
      body: { reached: false, timed_out: true, proposal: { id: body.id, status: 'received' } },
    });
    expect(waited.text).toContain('call wait again');
  });

  it('wait answers before the client would give up when the request carries no progress token', async () => {
    const { call, client } = await connectAgent(undefined, { waitWithoutProgressMs: 1000 });
    const { body } = await call('propose', { title: 'Slow', sql: 'create table slow (id bigint primary key);' });
    const started = Date.now();
    const waited = await call('wait', { id: body.id, timeout_seconds: 600 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(waited.body).toMatchObject({ reached: false, timed_out: true, proposal: { status: 'received' } });

    // With a progress token the agent's own timeout_seconds holds, and progress arrives.
    const progress: number[] = [];
    const withProgress = (await client.callTool(
      { name: 'wait', arguments: { id: body.id, timeout_seconds: 2 } },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    )) as ToolResult;
    expect(withProgress.structuredContent).toMatchObject({ timed_out: true });
    expect(withProgress.structuredContent!.waited_seconds).toBeGreaterThanOrEqual(2);
    expect(progress.length).toBeGreaterThanOrEqual(1);
  });

  it('wait tells the agent when the proposal ends short of the target', async () => {
    const { call } = await connectAgent();
    const { body } = await call('propose', { title: 'Given up', sql: 'create table g (id bigint primary key);' });
    await call('withdraw', { id: body.id, reason: 'wrong table' });
    const waited = await call('wait', { id: body.id, until: 'approved', timeout_seconds: 5 });
    expect(waited.body).toMatchObject({ reached: false, timed_out: false, proposal: { status: 'withdrawn' } });
  });

  it('report returns the markdown report; list pages through proposals; withdraw ends one', async () => {
    const { app, call } = await connectAgent();
    const other = await app.newToken('agent-2');
    const theirs = (
      await (
        await app.call('POST', '/api/proposals', {
          token: other,
          body: { title: 'Not mine', sql: 'create table x (id bigint primary key);' },
        })
      ).json()
    ).id;
    const ids: string[] = [];
    for (const n of [1, 2, 3])
      ids.push(
        (await call('propose', { title: `Table ${n}`, sql: `create table t${n} (id bigint primary key);` })).body.id,
      );

    const report = await call('report', { id: ids[0] });
    expect(report.body).toMatchObject({
      id: ids[0],
      status: 'received',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(report.body.markdown).toContain('## Table 1');
    expect(report.text).toBe(report.body.markdown);

    const first = await call('list', { limit: 2 });
    expect(first.body.items.map((p: { id: string }) => p.id)).toEqual([ids[2], ids[1]]);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    expect(first.text).toMatch(/^2 proposal\(s\):/);
    const second = await call('list', { limit: 2, cursor: first.body.next_cursor });
    expect(second.body).toMatchObject({ items: [{ id: ids[0] }], next_cursor: null });
    expect((await call('list', { q: 'table 2' })).body.items.map((p: { id: string }) => p.id)).toEqual([ids[1]]);
    const everyone = await call('list', { mine: false });
    expect(everyone.body.items.map((p: { id: string }) => p.id)).toEqual([ids[2], ids[1], ids[0], theirs]);

    const withdrawn = await call('withdraw', { id: ids[1], reason: 'not needed' });
    expect(withdrawn.body).toMatchObject({ id: ids[1], status: 'withdrawn' });
    expect((await call('list', { status: 'withdrawn' })).body.items.map((p: { id: string }) => p.id)).toEqual([ids[1]]);
    const again = await call('withdraw', { id: ids[1] });
    expect(again).toMatchObject({ isError: true, body: { error: { code: 'illegal_transition' } } });
  });

  it('answers bad input and refused tokens with a readable tool error', async () => {
    const { call } = await connectAgent('sg_not-a-token');
    const refused = await call('status', { id: '00000000-0000-4000-8000-000000000000' });
    expect(refused).toMatchObject({ isError: true, body: { error: { code: 'unauthorized' } } });

    const { call: withToken } = await connectAgent();
    const missing = await withToken('status', { id: '00000000-0000-4000-8000-000000000000' });
    expect(missing).toMatchObject({ isError: true, body: { error: { code: 'not_found' } } });
    const badCursor = await withToken('list', { cursor: 'nope' });
    expect(badCursor).toMatchObject({ isError: true, body: { error: { code: 'invalid_cursor' } } });
  });

  it('validates tool arguments before calling the API', async () => {
    const { client } = await connectAgent();
    const result = (await client.callTool({ name: 'propose', arguments: { title: '', sql: 42 } })) as {
      isError?: boolean;
    };
    expect(result.isError).toBe(true);
  });
});

describe('schemagate mcp', () => {
  async function stdioAgent() {
    const app = await createTestApp();
    const url = await startApiServer(app.deps);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [bin, 'mcp', '--url', url, '--token', app.token],
      stderr: 'pipe',
    });
    const client = new Client({ name: 'stdio-agent', version: '1.0.0' });
    await client.connect(transport);
    return { app, client };
  }

  it('serves the tools over stdio', async () => {
    const { client } = await stdioAgent();
    try {
      const result = (await client.callTool({
        name: 'propose',
        arguments: { title: 'Over stdio', sql: 'create table s (id bigint primary key);' },
      })) as ToolResult;
      expect(result.structuredContent).toMatchObject({ title: 'Over stdio', status: 'received' });
    } finally {
      await client.close();
    }
  });

  // The SDK client gives up on a request after 60 s unless progress
  // notifications reset its clock: the wait below outlives that default.
  it('keeps a wait longer than the client timeout alive with progress, and answers with the state it reached', async () => {
    const { app, client } = await stdioAgent();
    try {
      const proposed = (await client.callTool({
        name: 'propose',
        arguments: { title: 'Slow preview', sql: 'create table slow (id bigint primary key);' },
      })) as ToolResult;
      const id = proposed.structuredContent!.id as string;
      const progress: Array<{ progress: number; message?: string }> = [];
      const started = Date.now();
      const previewLate = new Promise((resolve) => setTimeout(resolve, 62_000)).then(() => previewOne(app));
      const waited = (await client.callTool(
        { name: 'wait', arguments: { id, until: 'awaiting_review', timeout_seconds: 90 } },
        undefined,
        {
          onprogress: (p) => progress.push(p),
          resetTimeoutOnProgress: true,
        },
      )) as ToolResult;
      await previewLate;
      expect(Date.now() - started).toBeGreaterThan(60_000);
      expect(waited.isError).toBeFalsy();
      expect(waited.structuredContent).toMatchObject({
        reached: true,
        timed_out: false,
        proposal: { id, status: 'awaiting_review' },
      });
      expect(progress.length).toBeGreaterThanOrEqual(5);
      expect(progress.map((p) => p.progress)).toEqual([...progress.map((p) => p.progress)].sort((a, b) => a - b));
      expect(progress[0]!.message).toBe('received, waiting for awaiting_review');
    } finally {
      await client.close();
    }
  }, 120_000);

  it('exits with code 0 when the client closes stdin', async () => {
    const app = await createTestApp();
    const url = await startApiServer(app.deps);
    const child = spawn(process.execPath, [bin, 'mcp', '--url', url, '--token', app.token], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // A whole initialize round trip first, so the server is really serving when stdin ends.
    child.stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } })}\n`,
    );
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdin.end();
    expect(await exited).toBe(0);
    expect(stderr).not.toContain('unsettled top-level await');
  }, 30_000);
});
