import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ApiClient, ProposalView } from '../client/api-client.ts';
import { waitFor, waitTargets } from '../client/wait.ts';
import { AppError } from '../errors.ts';
import { version } from '../http/version.ts';

/**
 * schemagate's MCP server for agents: the tools propose, revise, status and
 * wait, over the same HTTP API and agent token as the CLI. A failed call is a
 * tool error the agent can read (code and message), never a crash.
 *
 * @example
 * const server = createMcpServer(createApiClient({ url, token }));
 * await server.connect(new StdioServerTransport());
 */
export function createMcpServer(api: ApiClient): McpServer {
  const server = new McpServer({ name: 'schemagate', version });
  const id = z.uuid().describe('proposal id, as returned by propose');

  server.registerTool(
    'propose',
    {
      description:
        'Propose a Postgres migration. schemagate previews it on a copy of production, reports findings with fixes, and opens a review. Returns the proposal.',
      inputSchema: {
        title: z.string().min(1).max(200),
        sql: z.string().min(1).describe('the migration SQL'),
        down_sql: z.string().optional().describe('SQL that reverses it, checked on the preview'),
        description: z.string().max(10_000).optional(),
        name: z.string().regex(/^[a-z0-9_-]+$/).optional().describe('migration file slug'),
      },
    },
    (input) => answer(() => api.propose(input)),
  );
  server.registerTool(
    'revise',
    { description: 'Replace the SQL of a proposal after reading its findings; it is previewed again and earlier approvals are void.', inputSchema: { id, sql: z.string().min(1), down_sql: z.string().optional() } },
    ({ id: proposalId, ...input }) => answer(() => api.revise(proposalId, input)),
  );
  server.registerTool(
    'status',
    { description: 'The proposal: status, risk class, findings with their suggested fixes, preview results and review location.', inputSchema: { id } },
    ({ id: proposalId }) => answer(() => api.get(proposalId)),
  );
  server.registerTool(
    'wait',
    {
      description: 'Wait until the proposal is previewed (awaiting_review), approved or promoted, or ends short of it.',
      inputSchema: { id, until: z.enum(waitTargets).default('awaiting_review'), timeout_seconds: z.number().min(1).max(3600).default(300) },
    },
    ({ id: proposalId, until, timeout_seconds }) =>
      answer(async () => {
        const outcome = await waitFor(api, proposalId, { until, timeoutMs: timeout_seconds * 1000 });
        return { reached: outcome.reached, until, proposal: outcome.proposal };
      }),
  );
  return server;
}

async function answer(call: () => Promise<ProposalView | Record<string, unknown>>) {
  try {
    const result = await call();
    return { content: [{ type: 'text' as const, text: JSON.stringify(result, null, 2) }] };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { isError: true, content: [{ type: 'text' as const, text: JSON.stringify({ error: { code: error.code, message: error.message, details: error.details } }) }] };
  }
}
