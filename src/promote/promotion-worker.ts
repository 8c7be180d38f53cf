import { promotions } from '../../db/schema.ts';
import { promote, type PromoteDeps } from './promote.ts';
import type { PromotionResult } from './promotion-result.ts';
import { claimPromotion } from './promotion-runs.ts';
import { renewClaim } from '../queue/claims.ts';

/**
 * Claims one queued promotion (or one whose worker died) and runs it to the
 * end: `approved → promoting → promoted | promotion_failed`, or `stale` with
 * a new preview queued. Returns undefined when nothing was queued.
 *
 * @example
 * while (await processNextPromotion(deps));
 */
export async function processNextPromotion(deps: PromoteDeps): Promise<PromotionResult | undefined> {
  const run = await claimPromotion(deps.db, deps.worker, deps.leaseMs);
  if (!run) return undefined;
  const renew = setInterval(
    () => void renewClaim(deps.db, promotions, run, deps.leaseMs).catch(() => {}),
    deps.leaseMs / 3,
  );
  try {
    return await promote(deps, run);
  } finally {
    clearInterval(renew);
  }
}

/**
 * Runs queued promotions until none is left or the limits are reached (a
 * Netlify background function has 15 minutes).
 *
 * @example
 * await drainPromotions(deps, { maxRuns: 10, deadline: Date.now() + 13 * 60_000 });
 */
export async function drainPromotions(
  deps: PromoteDeps,
  limits: { maxRuns: number; deadline?: number },
): Promise<PromotionResult[]> {
  const results: PromotionResult[] = [];
  while (results.length < limits.maxRuns && (limits.deadline === undefined || Date.now() < limits.deadline)) {
    const result = await processNextPromotion(deps);
    if (!result) break;
    results.push(result);
    // Production is busy with another worker's promotion: let it finish instead of spinning on the queue.
    if (result.outcome === 'busy') break;
  }
  return results;
}
