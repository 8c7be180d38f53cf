import { eq, sql } from 'drizzle-orm';
import { promotions } from '../../db/schema.ts';
import type { DbOrTx } from '../database/connection.ts';
import { claimNext, stillClaimed } from '../queue/claims.ts';

export type PromotionRun = typeof promotions.$inferSelect;

/**
 * Claims the oldest promotion that is queued or whose worker died (see claimNext).
 *
 * @example
 * const run = await claimPromotion(db, 'worker-1', 120_000);
 */
export async function claimPromotion(db: DbOrTx, worker: string, leaseMs: number): Promise<PromotionRun | undefined> {
  const id = await claimNext(db, promotions, worker, leaseMs);
  if (!id) return undefined;
  const [run] = await db.select().from(promotions).where(eq(promotions.id, id));
  return run;
}

/**
 * Records the outcome, only if this claim is still the current one. Returns
 * false when another worker took the run over: its outcome wins.
 *
 * @example
 * await db.transaction(async (tx) => {
 *   if (await finishPromotion(tx, run, { status: 'succeeded', result })) await transitionProposal(tx, { ... });
 * });
 */
export async function finishPromotion(
  db: DbOrTx,
  run: PromotionRun,
  outcome: { status: 'succeeded' | 'failed'; result: unknown },
): Promise<boolean> {
  const rows = await db
    .update(promotions)
    .set({ status: outcome.status, result: outcome.result, finishedAt: sql`now()`, claimExpiresAt: null })
    .where(stillClaimed(promotions, run))
    .returning({ id: promotions.id });
  return rows.length === 1;
}

/**
 * Gives a claimed run back to the queue (production was busy with another
 * promotion), keeping what was learned in `result`.
 *
 * @example
 * await releasePromotion(db, run, { waitedForLockMs: 60_000 });
 */
export async function releasePromotion(db: DbOrTx, run: PromotionRun, result: unknown): Promise<boolean> {
  const rows = await db
    .update(promotions)
    .set({ status: 'queued', result, claimedBy: null, claimExpiresAt: null })
    .where(stillClaimed(promotions, run))
    .returning({ id: promotions.id });
  return rows.length === 1;
}

/**
 * Records progress (completed steps, lock retries) on a running claim, so an
 * operator can see it before the run ends.
 *
 * @example
 * await recordPromotionProgress(db, run, { steps });
 */
export async function recordPromotionProgress(db: DbOrTx, run: PromotionRun, result: unknown): Promise<boolean> {
  const rows = await db
    .update(promotions)
    .set({ result })
    .where(stillClaimed(promotions, run))
    .returning({ id: promotions.id });
  return rows.length === 1;
}
