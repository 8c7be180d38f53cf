import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/client/api-client.ts';
import { processNextPreview } from '../../src/jobs/preview-worker.ts';
import { createMcpServer } from '../../src/mcp/mcp-server.ts';
import { createTestApp } from '../support/app.ts';
import { startApiServer } from '../support/api-server.ts';

/** An MCP client talking to schemagate's MCP server, which talks to a running API. */
async function connectAgent(token?: string) {
  const app = await createTestApp();
  const url = await startApiServer(app.deps);
  const server = createMcpServer(createApiClient({ url, token: token ?? app.token }));
  const client = new Client({ name: 'test-agent', version: '1.0.0' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  const call = async (name: string, args: Record<string, unknown>) => {
    const result = (await client.callTool({ name, arguments: args })) as { isError?: boolean; content: Array<{ text: string }> };
    return { isError: Boolean(result.isError), body: JSON.parse(result.content[0]!.text) };
  };
  return { app, client, call };
}

describe('MCP server', () => {
  it('lists the agent tools', async () => {
    const { client } = await connectAgent();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['propose', 'revise', 'status', 'wait']);
  });

  it('proposes, reads the status, revises and waits for the preview', async () => {
    const { app, call } = await connectAgent();
    const proposed = await call('propose', { title: 'Add notes', sql: 'create table notes (id bigint primary key);' });
    expect(proposed).toMatchObject({ isError: false, body: { status: 'received', revision: { number: 1 } } });
    const id = proposed.body.id as string;
    expect((await call('status', { id })).body).toMatchObject({ id, status: 'received' });
    const revised = await call('revise', { id, sql: 'create table notes (id bigint primary key, body text);' });
    expect(revised.body.revision.number).toBe(2);

    const worker = (async () => {
      const execute = async () => ({ ok: true, result: { applied: true }, riskClass: 'low' });
      for (let i = 0; i < 100; i++) {
        const result = await processNextPreview({ db: app.database.db, execute, worker: 'w', leaseMs: 5000 });
        if (result === 'completed') return;
        if (result === 'idle') await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const waited = await call('wait', { id, until: 'awaiting_review', timeout_seconds: 20 });
    await worker;
    expect(waited.body).toMatchObject({ reached: true, proposal: { status: 'awaiting_review', risk_class: 'low' } });
  });

  it('answers bad input and refused tokens with a readable tool error', async () => {
    const { call } = await connectAgent('sg_not-a-token');
    const refused = await call('status', { id: '00000000-0000-4000-8000-000000000000' });
    expect(refused).toMatchObject({ isError: true, body: { error: { code: 'unauthorized' } } });

    const { call: withToken } = await connectAgent();
    const missing = await withToken('status', { id: '00000000-0000-4000-8000-000000000000' });
    expect(missing).toMatchObject({ isError: true, body: { error: { code: 'not_found' } } });
  });

  it('validates tool arguments before calling the API', async () => {
    const { client } = await connectAgent();
    const result = (await client.callTool({ name: 'propose', arguments: { title: '', sql: 42 } })) as { isError?: boolean };
    expect(result.isError).toBe(true);
  });
});

describe('schemagate mcp', () => {
  it('serves the tools over stdio', async () => {
    const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
    const app = await createTestApp();
    const url = await startApiServer(app.deps);
    const bin = new URL('../../bin/schemagate.js', import.meta.url).pathname;
    const transport = new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp', '--url', url, '--token', app.token], stderr: 'pipe' });
    const client = new Client({ name: 'stdio-agent', version: '1.0.0' });
    await client.connect(transport);
    try {
      const result = (await client.callTool({ name: 'propose', arguments: { title: 'Over stdio', sql: 'create table s (id bigint primary key);' } })) as {
        content: Array<{ text: string }>;
      };
      expect(JSON.parse(result.content[0]!.text)).toMatchObject({ title: 'Over stdio', status: 'received' });
    } finally {
      await client.close();
    }
  });
});
