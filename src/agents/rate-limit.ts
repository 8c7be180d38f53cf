import { and, eq, lt, sql } from 'drizzle-orm';
import { rateLimits } from '../../db/schema.ts';
import type { DbOrTx } from '../database/connection.ts';

export interface RateLimit {
  requests: number;
  windowSeconds: number;
}

export type RateDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts one request for `agentId` in the current fixed window. The counter
 * lives in Postgres, so every function instance shares it.
 *
 * @example
 * const decision = await takeRequest(db, agent.id, { requests: 120, windowSeconds: 60 }, new Date());
 * if (!decision.allowed) // answer 429 with Retry-After: decision.retryAfterSeconds
 */
export async function takeRequest(db: DbOrTx, agentId: string, limit: RateLimit, now: Date): Promise<RateDecision> {
  const windowMs = limit.windowSeconds * 1000;
  const windowStart = Math.floor(now.getTime() / windowMs) * windowMs;
  const [row] = await db
    .insert(rateLimits)
    .values({ agentId, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: [rateLimits.agentId, rateLimits.windowStart],
      set: { count: sql`${rateLimits.count} + 1` },
    })
    .returning({ count: rateLimits.count });
  const count = row?.count ?? 1;
  if (count === 1) {
    await db.delete(rateLimits).where(and(eq(rateLimits.agentId, agentId), lt(rateLimits.windowStart, windowStart)));
  }
  if (count > limit.requests) {
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((windowStart + windowMs - now.getTime()) / 1000)),
    };
  }
  return { allowed: true, remaining: limit.requests - count };
}
