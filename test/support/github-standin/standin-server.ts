import type { IncomingMessage, ServerResponse } from 'node:http';
import { faultResponse, type FaultPlan } from './faults.ts';
import { GithubApiError, type Actor, type Handler, type HandlerResult } from './handler-types.ts';
import { appsHandlers, verifyAppJwt } from './handlers/apps-handlers.ts';
import { checksHandlers } from './handlers/checks-handlers.ts';
import { gitHandlers } from './handlers/git-handlers.ts';
import { issuesHandlers } from './handlers/issues-handlers.ts';
import { pullsHandlers } from './handlers/pulls-handlers.ts';
import { reposHandlers } from './handlers/repos-handlers.ts';
import { teamsHandlers } from './handlers/teams-handlers.ts';
import type { ContractError, OpenApiContract } from './openapi-contract.ts';
import type { StandinState } from './standin-state.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  operationId: string | undefined;
  body: unknown;
  status: number;
  actor: string | undefined;
}

export interface ContractViolation {
  kind: 'request' | 'response' | 'unknown-operation';
  method: string;
  path: string;
  operationId: string | undefined;
  status?: number;
  errors: ContractError[];
}

const HANDLERS: Record<string, Handler> = {
  ...appsHandlers,
  ...checksHandlers,
  ...gitHandlers,
  ...issuesHandlers,
  ...pullsHandlers,
  ...reposHandlers,
  ...teamsHandlers,
};

export interface ServerDeps {
  state: StandinState;
  contract: OpenApiContract;
  faults: FaultPlan;
  requests: RecordedRequest[];
  violations: ContractViolation[];
}

/**
 * One request through the stand-in: route by operationId, record it, inject
 * faults, authenticate, validate the request, run the handler, then validate
 * the response. A response that breaks GitHub's schema becomes a 500 that
 * names the errors, so the test fails where the mismatch is.
 */
export async function handleRequest(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://standin.invalid');
  const raw = await readBody(req);
  const method = (req.method ?? 'GET').toLowerCase();
  const entry: RecordedRequest = {
    method: method.toUpperCase(),
    path: url.pathname,
    operationId: undefined,
    body: undefined,
    status: 0,
    actor: undefined,
  };
  deps.requests.push(entry);
  const send = (result: HandlerResult) => {
    entry.status = result.status;
    const text = result.body === undefined ? '' : JSON.stringify(result.body);
    res.writeHead(result.status, {
      ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      ...result.headers,
    });
    res.end(text);
  };
  let body: unknown;
  try {
    body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
  } catch {
    return send({ status: 400, body: { message: 'Problems parsing JSON', status: '400' } });
  }
  entry.body = body;
  const request = {
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: req.headers as Record<string, string>,
    body,
  };
  const matched = deps.contract.match(request);
  if (!matched) {
    deps.violations.push({
      kind: 'unknown-operation',
      method: entry.method,
      path: entry.path,
      operationId: undefined,
      errors: [],
    });
    return send({ status: 404, body: { message: 'Not Found', status: '404' } });
  }
  const { operationId } = matched;
  entry.operationId = operationId;
  const fault = deps.faults.take(operationId);
  if (fault && fault.kind !== 'corrupt') return send(faultResponse(fault));
  const actor = authenticate(deps.state, req.headers.authorization);
  entry.actor = actor?.login;
  if (!actor) return send({ status: 401, body: { message: 'Bad credentials', status: '401' } });
  if (matched.params.owner !== undefined && `${matched.params.owner}/${matched.params.repo}` !== deps.state.fullName) {
    return send({ status: 404, body: { message: 'Not Found', status: '404' } });
  }
  const checked = deps.contract.validateRequest(request, operationId);
  if (checked.errors.length > 0) {
    deps.violations.push({
      kind: 'request',
      method: entry.method,
      path: entry.path,
      operationId,
      errors: checked.errors,
    });
    return send({
      status: 422,
      body: {
        message: 'Invalid request.',
        documentation_url: 'https://docs.github.com/rest',
        errors: checked.errors.map(asGithubError),
      },
    });
  }
  const handler = HANDLERS[operationId];
  if (!handler) throw new Error(`the trimmed description routes ${operationId} but the stand-in has no handler for it`);
  let result: HandlerResult;
  try {
    result = await handler({
      state: deps.state,
      params: matched.params,
      url: new URL(`${url.pathname}${url.search}`, deps.state.apiUrl),
      query: checked.query,
      body,
      actor,
    });
  } catch (error) {
    if (!(error instanceof GithubApiError)) throw error;
    result = { status: error.status, body: error.body };
  }
  if (fault?.kind === 'corrupt') fault.mutate(result.body);
  const errors = deps.contract.validateResponse(result.body, operationId, result.status);
  if (errors.length > 0) {
    deps.violations.push({
      kind: 'response',
      method: entry.method,
      path: entry.path,
      operationId,
      status: result.status,
      errors,
    });
    return send({
      status: 500,
      body: { message: `stand-in response for ${operationId} (${result.status}) breaks GitHub's schema`, errors },
    });
  }
  send(result);
}

function authenticate(state: StandinState, header: string | undefined): Actor | undefined {
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const credential = match[1];
  return credential.split('.').length === 3 ? verifyAppJwt(state, credential) : state.tokens.get(credential);
}

function asGithubError(error: ContractError): Record<string, unknown> {
  return { code: 'invalid', field: error.instancePath ?? '', message: error.message ?? 'invalid' };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
