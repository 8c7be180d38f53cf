import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ApiClient, ProposalView } from '../client/api-client.ts';
import { waitTargets, watchProposal } from '../client/wait.ts';
import { AppError } from '../errors.ts';
import { proposalListResponse, proposalResponse } from '../http/schemas.ts';
import { statuses } from '../domain/lifecycle.ts';
import { version } from '../http/version.ts';

// The API may grow fields; an agent's client must not reject a proposal for
// a field this version of the schema does not name.
const proposalOutput = proposalResponse.loose();

const waitOutput = z.object({
  reached: z.boolean().describe('the proposal is at `until` or further along the happy path'),
  timed_out: z.boolean().describe('the wait stopped because time ran out; call wait again to keep waiting'),
  until: z.enum(waitTargets),
  waited_seconds: z.number(),
  proposal: proposalOutput,
});

const reportOutput = z.object({
  id: z.uuid(),
  status: z.enum(statuses),
  sha256: z.string().describe('the exact SQL an approval lets through'),
  markdown: z.string().describe('the review report, as the pull request shows it'),
});

/**
 * How long `wait` may block when the client sent no progress token. The SDK
 * client gives up on a request after 60 s by default and, without progress
 * notifications to reset that clock, would turn a long wait into an error;
 * answering before it does keeps the current state in the agent's hands.
 */
export const waitWithoutProgressMs = 50_000;

/** Progress notifications while waiting: often enough to keep a 60 s client timeout far away. */
const heartbeatMs = 10_000;

export interface McpServerOptions {
  /** How often `wait` reports progress, and so the longest each of its long polls lasts. */
  heartbeatMs?: number;
  /** The cap on a wait without a progress token; `waitWithoutProgressMs` unless a test shortens it. */
  waitWithoutProgressMs?: number;
}

/**
 * schemagate's MCP server for agents: propose, revise, status, wait, report,
 * list and withdraw, over the same HTTP API and agent token as the CLI. Every
 * tool answers with `structuredContent` matching its `outputSchema` and a
 * one-line summary; a failed call is a tool error the agent can read (code and
 * message), never a crash.
 *
 * @example
 * const server = createMcpServer(createApiClient({ url, token }));
 * await serveStdio(server);
 */
export function createMcpServer(api: ApiClient, options: McpServerOptions = {}): McpServer {
  const server = new McpServer({ name: 'schemagate', version });
  const id = z.uuid().describe('proposal id, as returned by propose');
  // Every tool talks to schemagate only; none reaches out to an open world.
  const closed = { openWorldHint: false } as const;
  const reads = { ...closed, readOnlyHint: true, idempotentHint: true } as const;

  server.registerTool(
    'propose',
    {
      title: 'Propose a migration',
      description:
        'Propose a Postgres migration. schemagate previews it on a copy of production, reports findings with fixes, and opens a review. Returns the proposal.',
      inputSchema: {
        title: z.string().min(1).max(200),
        sql: z.string().min(1).describe('the migration SQL'),
        down_sql: z.string().optional().describe('SQL that reverses it, checked on the preview'),
        description: z.string().max(10_000).optional(),
        name: z
          .string()
          .regex(/^[a-z0-9_-]+$/)
          .optional()
          .describe('migration file slug'),
      },
      outputSchema: proposalOutput,
      annotations: { ...closed, readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    },
    (input) => answer(async () => proposalAnswer(await api.propose(input), 'proposed')),
  );
  server.registerTool(
    'revise',
    {
      title: 'Revise a proposal',
      description:
        'Replace the SQL of a proposal after reading its findings; it is previewed again and earlier approvals are void.',
      inputSchema: { id, sql: z.string().min(1), down_sql: z.string().optional() },
      outputSchema: proposalOutput,
      // Replaces the SQL under review and voids approvals: destructive for the review, not for data.
      annotations: { ...closed, readOnlyHint: false, destructiveHint: true, idempotentHint: false },
    },
    ({ id: proposalId, ...input }) =>
      answer(async () => proposalAnswer(await api.revise(proposalId, input), 'revised')),
  );
  server.registerTool(
    'status',
    {
      title: 'Proposal status',
      description:
        'The proposal: status, risk class, findings with their suggested fixes, preview results and review location.',
      inputSchema: { id },
      outputSchema: proposalOutput,
      annotations: reads,
    },
    ({ id: proposalId }) => answer(async () => proposalAnswer(await api.get(proposalId))),
  );
  server.registerTool(
    'wait',
    {
      title: 'Wait for a proposal',
      description:
        'Wait until the proposal is previewed (awaiting_review), approved or promoted, or ends short of it. Sends progress notifications while it waits; ' +
        `when time runs out (timeout_seconds, or about ${waitWithoutProgressMs / 1000} s when the request carries no progress token) it returns the current state with timed_out: true.`,
      inputSchema: {
        id,
        until: z.enum(waitTargets).default('awaiting_review'),
        timeout_seconds: z.number().min(1).max(3600).default(300),
      },
      outputSchema: waitOutput,
      annotations: reads,
    },
    ({ id: proposalId, until, timeout_seconds }, extra) =>
      answer(async () => {
        const progressToken = extra._meta?.progressToken;
        const cap = options.waitWithoutProgressMs ?? waitWithoutProgressMs;
        const timeoutMs = progressToken === undefined ? Math.min(timeout_seconds * 1000, cap) : timeout_seconds * 1000;
        const started = Date.now();
        let lastSent = 0;
        let lastStatus: string | undefined;
        const outcome = await watchProposal(api, proposalId, {
          until,
          timeoutMs,
          signal: extra.signal,
          // Each long poll ends by the heartbeat, so progress keeps flowing while the server holds the request.
          longPollSeconds: (options.heartbeatMs ?? heartbeatMs) / 1000,
          onPoll: async (proposal, elapsedMs) => {
            if (progressToken === undefined) return;
            if (proposal.status === lastStatus && elapsedMs - lastSent < (options.heartbeatMs ?? heartbeatMs)) return;
            lastSent = elapsedMs;
            lastStatus = proposal.status;
            // Progress must increase with every notification: seconds waited do.
            await extra
              .sendNotification({
                method: 'notifications/progress',
                params: {
                  progressToken,
                  progress: Math.round(elapsedMs) / 1000 + 0.001,
                  total: timeoutMs / 1000,
                  message: `${proposal.status}, waiting for ${until}`,
                },
              })
              .catch(() => undefined);
          },
        });
        const structured = {
          reached: outcome.reached,
          timed_out: outcome.timedOut,
          until,
          waited_seconds: Math.round((Date.now() - started) / 100) / 10,
          proposal: outcome.proposal,
        };
        const p = outcome.proposal;
        const text = outcome.reached
          ? `Proposal ${p.id} reached ${p.status}.`
          : outcome.timedOut
            ? `Proposal ${p.id} is still ${p.status}; call wait again to keep waiting for ${until}.`
            : `Proposal ${p.id} ended as ${p.status} and will not reach ${until}.`;
        return { structured, text };
      }),
  );
  server.registerTool(
    'report',
    {
      title: 'Review report',
      description:
        'The review report of a proposal as markdown: findings with fixes, what the preview measured, the schema diff and what an approval lets through.',
      inputSchema: { id },
      outputSchema: reportOutput,
      annotations: reads,
    },
    ({ id: proposalId }) =>
      answer(async () => {
        const [proposal, markdown] = await Promise.all([api.get(proposalId), api.report(proposalId)]);
        // The report is what the agent asked for, so it is the text too.
        return {
          structured: { id: proposal.id, status: proposal.status, sha256: proposal.revision.sha256, markdown },
          text: markdown,
        };
      }),
  );
  server.registerTool(
    'list',
    {
      title: 'List proposals',
      description:
        "This agent's proposals (all agents' with mine: false), newest first, one page at a time: pass next_cursor back as cursor for the next page.",
      inputSchema: {
        mine: z.boolean().default(true).describe("only this agent's proposals"),
        q: z
          .string()
          .min(1)
          .max(200)
          .optional()
          .describe('text the title, migration name or agent name contains, or a proposal id'),
        status: z.enum(statuses).optional(),
        limit: z.number().int().min(1).max(100).default(20),
        cursor: z.string().max(100).optional(),
      },
      outputSchema: proposalListResponse,
      annotations: reads,
    },
    (query) =>
      answer(async () => {
        const page = await api.list(query);
        const lines = page.items.map((p) => `${p.id} ${p.status} ${p.title}`);
        const more = page.next_cursor ? `\nmore: cursor ${page.next_cursor}` : '';
        return {
          structured: page,
          text: `${page.items.length} proposal(s)${lines.length ? `:\n${lines.join('\n')}` : ''}${more}`,
        };
      }),
  );
  server.registerTool(
    'withdraw',
    {
      title: 'Withdraw a proposal',
      description:
        'Withdraw a proposal this agent made; it ends as withdrawn and can no longer be approved or promoted.',
      inputSchema: { id, reason: z.string().max(2000).optional() },
      outputSchema: proposalOutput,
      // Withdrawing ends the proposal for good; asking again only finds it withdrawn (409).
      annotations: { ...closed, readOnlyHint: false, destructiveHint: true, idempotentHint: false },
    },
    ({ id: proposalId, reason }) =>
      answer(async () => proposalAnswer(await api.withdraw(proposalId, reason), 'withdrawn')),
  );
  return server;
}

function proposalAnswer(proposal: ProposalView, verb?: string) {
  const risk = proposal.risk_class ? `, risk ${String(proposal.risk_class)}` : '';
  const lead = verb ? `${verb}: ` : '';
  return {
    structured: proposal as Record<string, unknown>,
    text: `${lead}proposal ${proposal.id} "${proposal.title}" is ${proposal.status}${risk}, revision ${proposal.revision.number}.${findingsLine(proposal)}`,
  };
}

// The findings themselves are in structuredContent; the line says whether there is anything to repair.
function findingsLine(proposal: ProposalView): string {
  const preview = proposal.preview as
    { result?: { analysis?: { findings?: Array<{ severity: string; suppressed?: unknown }> } } } | null | undefined;
  const findings = preview?.result?.analysis?.findings?.filter((f) => !f.suppressed);
  if (!findings) return '';
  const errors = findings.filter((f) => f.severity === 'error').length;
  return ` ${findings.length} finding${findings.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}); read them in structuredContent.preview.result.analysis.findings.`;
}

async function answer(
  call: () => Promise<{ structured: Record<string, unknown>; text: string }>,
): Promise<CallToolResult> {
  try {
    const { structured, text } = await call();
    return { structuredContent: structured, content: [{ type: 'text', text }] };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return {
      isError: true,
      content: [
        {
          type: 'text',
          text: JSON.stringify({ error: { code: error.code, message: error.message, details: error.details } }),
        },
      ],
    };
  }
}
