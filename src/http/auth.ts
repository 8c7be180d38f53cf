import { findAgentByToken, type Agent, type Scope } from '../agents/agents.ts';
import { takeRequest } from '../agents/rate-limit.ts';
import type { HttpDeps } from './deps.ts';
import { HttpError } from './respond.ts';

const challenge = { 'www-authenticate': 'Bearer realm="schemagate"' };

/**
 * The agent behind `Authorization: Bearer <token>`, if it holds `scope` and is
 * within its rate limit.
 */
export async function authenticate(request: Request, deps: HttpDeps, scope: Scope): Promise<Agent> {
  const header = request.headers.get('authorization');
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  if (!match?.[1]) {
    throw new HttpError(
      'unauthorized',
      'send an agent token as "Authorization: Bearer <token>"; create one with `schemagate agents create <name>`',
      {
        headers: challenge,
      },
    );
  }
  const agent = await findAgentByToken(deps.db, match[1]);
  if (!agent) {
    throw new HttpError('unauthorized', 'the token is unknown or has been revoked', {
      headers: { 'www-authenticate': 'Bearer realm="schemagate", error="invalid_token"' },
    });
  }
  if (!agent.scopes.includes(scope)) {
    throw new HttpError(
      'insufficient_scope',
      `this token lacks the "${scope}" scope (it has: ${agent.scopes.join(', ') || 'none'})`,
      {
        details: { required: scope, granted: agent.scopes },
      },
    );
  }
  const decision = await takeRequest(deps.db, agent.id, deps.config.limits.rateLimit, deps.now());
  if (!decision.allowed) {
    const { requests, windowSeconds } = deps.config.limits.rateLimit;
    throw new HttpError(
      'rate_limited',
      `rate limit of ${requests} requests per ${windowSeconds} s exceeded; retry in ${decision.retryAfterSeconds} s`,
      {
        headers: { 'retry-after': String(decision.retryAfterSeconds) },
        details: { retry_after_seconds: decision.retryAfterSeconds },
      },
    );
  }
  return agent;
}
