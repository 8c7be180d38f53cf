import { getProposal, listEvents, listProposals } from '../../proposals/proposal-queries.ts';
import { createProposal, reviseProposal, withdrawProposal } from '../../proposals/proposals.ts';
import { waitForStatus } from '../../proposals/wait-for-status.ts';
import { renderReport } from '../../review/report.ts';
import { readApprovalState } from '../../review/reviews.ts';
import { authenticate } from '../auth.ts';
import type { HttpDeps } from '../deps.ts';
import {
  presentApproval,
  presentEvent,
  presentProposal,
  presentStaticAnalysis,
  presentSummary,
} from '../presenters.ts';
import { parseInput, queryObject, readJson } from '../request.ts';
import { HttpError, json } from '../respond.ts';
import { createProposalBody, createRevisionBody, getProposalQuery, withdrawBody, listQuery } from '../schemas.ts';
import { idOf } from './ids.ts';

type Params = Record<string, string>;

export async function createProposalRoute(request: Request, deps: HttpDeps): Promise<Response> {
  const agent = await authenticate(request, deps, 'propose');
  const body = parseInput(createProposalBody, await readJson(request, deps.config.limits.maxBodyBytes));
  checkSqlSize(deps, body.sql, 'sql');
  if (body.down_sql !== undefined) checkSqlSize(deps, body.down_sql, 'down_sql');
  const key = idempotencyKey(request);
  const { proposal, replayed } = await createProposal(
    deps.db,
    agent,
    { title: body.title, description: body.description, sql: body.sql, downSql: body.down_sql, name: body.name },
    { idempotencyKey: key },
  );
  if (!replayed) deps.kickJobs?.(new URL(request.url).origin);
  return json(
    202,
    { ...presentProposal(proposal), ...(await staticView(deps, body.sql)) },
    {
      location: `/api/proposals/${proposal.id}`,
      ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
    },
  );
}

export async function getProposalRoute(request: Request, deps: HttpDeps, params: Params): Promise<Response> {
  await authenticate(request, deps, 'read');
  const id = idOf(params);
  const query = parseInput(getProposalQuery, queryObject(request), 'query');
  // ?wait_for=<status>: a long poll, answered when the proposal gets there (or ends elsewhere, moves on, or time runs out).
  const waited = query.wait_for
    ? await waitForStatus(deps.db, id, query.wait_for, { timeoutMs: query.timeout * 1000, signal: request.signal })
    : undefined;
  const proposal = await getProposal(deps.db, id);
  const approval = await readApprovalState(
    deps.db,
    deps.config.policy.approvals,
    proposal,
    deps.config.github?.agentLogin,
  );
  return json(
    200,
    { ...presentProposal(proposal), approval: presentApproval(approval) },
    waited ? { 'schemagate-wait': waited } : {},
  );
}

export async function listProposalsRoute(request: Request, deps: HttpDeps): Promise<Response> {
  const principal = await authenticate(request, deps, 'read');
  const query = parseInput(listQuery, queryObject(request), 'query');
  const page = await listProposals(deps.db, {
    status: query.status,
    before: decodeCursor(query.cursor),
    limit: query.limit,
    agentId: query.mine === 'true' ? principal.id : undefined,
    search: query.q,
  });
  const last = page.items.at(-1);
  return json(200, {
    items: page.items.map(presentSummary),
    next_cursor: page.hasMore && last ? encodeCursor(last.seq) : null,
  });
}

export async function reviseProposalRoute(request: Request, deps: HttpDeps, params: Params): Promise<Response> {
  const agent = await authenticate(request, deps, 'propose');
  const id = idOf(params);
  const body = parseInput(createRevisionBody, await readJson(request, deps.config.limits.maxBodyBytes));
  checkSqlSize(deps, body.sql, 'sql');
  if (body.down_sql !== undefined) checkSqlSize(deps, body.down_sql, 'down_sql');
  const proposal = await reviseProposal(deps.db, agent, id, { sql: body.sql, downSql: body.down_sql });
  deps.kickJobs?.(new URL(request.url).origin);
  return json(202, { ...presentProposal(proposal), ...(await staticView(deps, body.sql)) });
}

export async function withdrawProposalRoute(request: Request, deps: HttpDeps, params: Params): Promise<Response> {
  const agent = await authenticate(request, deps, 'propose');
  const id = idOf(params);
  const body = parseInput(withdrawBody, (await readJson(request, 16 * 1024, { optional: true })) ?? {});
  return json(200, presentProposal(await withdrawProposal(deps.db, agent, id, body.reason)));
}

export async function listEventsRoute(request: Request, deps: HttpDeps, params: Params): Promise<Response> {
  await authenticate(request, deps, 'read');
  const events = await listEvents(deps.db, idOf(params));
  return json(200, { items: events.map(presentEvent) });
}

/**
 * The rules' verdict on the SQL, in the 202 itself: it takes milliseconds, so
 * an agent can start repairing before the preview has run. The preview runs
 * the same analysis and fails closed, so a failure here only leaves the field
 * out.
 *
 * The parser is imported on first use, and by a URL the function bundler does
 * not follow: a bundled libpg-query starts loading its WebAssembly when the
 * bundle loads, and where the bundle lacks the .wasm (the @netlify/dev
 * emulation drops included_files) Emscripten aborts the whole worker instead
 * of throwing. In-process (`schemagate serve`, tests) the URL resolves; in a
 * bundle it does not, and the 202 goes without static findings.
 */
// The published package runs the emitted JavaScript, where tsc rewrites relative specifiers but not URLs.
const analyzerUrl = new URL(`../../sql/analyze${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url)
  .href;

async function staticView(
  deps: HttpDeps,
  sql: string,
): Promise<{ static_analysis?: ReturnType<typeof presentStaticAnalysis> }> {
  try {
    const { analyze } = (await import(analyzerUrl)) as typeof import('../../sql/analyze.ts');
    return { static_analysis: presentStaticAnalysis(analyze(sql, deps.config.policy)) };
  } catch (error) {
    deps.log('static analysis unavailable here; the preview will report the findings', error);
    return {};
  }
}

function idempotencyKey(request: Request): string | undefined {
  const key = request.headers.get('idempotency-key');
  if (key === null) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new HttpError('validation_failed', 'Idempotency-Key must be 1-255 visible ASCII characters', {
      details: {
        issues: [{ path: 'Idempotency-Key', code: 'invalid_format', message: '1-255 visible ASCII characters' }],
      },
    });
  }
  return key;
}

function checkSqlSize(deps: HttpDeps, sql: string, field: string): void {
  const bytes = Buffer.byteLength(sql, 'utf8');
  const max = deps.config.limits.maxSqlBytes;
  if (bytes > max) {
    throw new HttpError('sql_too_large', `${field} is ${bytes} bytes; the limit is ${max} bytes (limits.maxSqlBytes)`, {
      details: { field, bytes, max_bytes: max },
    });
  }
}

const encodeCursor = (seq: number) => Buffer.from(`p:${seq}`).toString('base64url');

function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const match = /^p:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1]) throw new HttpError('invalid_cursor', 'cursor is not one this API returned; start again without it');
  return Number(match[1]);
}

/** The review report as markdown: what the pull request (or the dashboard) shows. */
export async function proposalReportRoute(request: Request, deps: HttpDeps, params: Params): Promise<Response> {
  await authenticate(request, deps, 'read');
  const p = await getProposal(deps.db, idOf(params));
  const body = renderReport({
    proposal: {
      id: p.id,
      title: p.title,
      description: p.description,
      agent: p.agent.name,
      revision: p.revision.number,
      sha256: p.revision.sha256,
      migrationPath: p.review?.migrationPath ?? '(not under review yet)',
    },
    result: (p.preview?.result ?? null) as Parameters<typeof renderReport>[0]['result'],
  });
  return new Response(body, {
    headers: { 'content-type': 'text/markdown; charset=utf-8', 'cache-control': 'no-store' },
  });
}
