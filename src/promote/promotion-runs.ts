import { and, eq, sql } from 'drizzle-orm';
import { promotions } from '../../db/schema.ts';
import type { DbOrTx } from '../database/connection.ts';

export type PromotionRun = typeof promotions.$inferSelect;

/**
 * Claims the oldest promotion that is queued, or whose claim outlived its
 * deadline (its worker died). `FOR UPDATE SKIP LOCKED` lets any number of
 * workers claim at once without waiting on each other or taking the same run.
 * `attempts` doubles as a fencing token: only the latest claimant may finish.
 *
 * @example
 * const run = await claimPromotion(db, 'worker-1', 120_000);
 */
export async function claimPromotion(db: DbOrTx, worker: string, leaseMs: number): Promise<PromotionRun | undefined> {
  const result = await db.execute<{ id: string }>(sql`
    update ${promotions}
       set status = 'running',
           claimed_by = ${worker},
           claim_expires_at = now() + make_interval(secs => ${leaseMs / 1000}),
           attempts = attempts + 1
     where id = (
       select id from ${promotions}
        where status = 'queued' or (status = 'running' and claim_expires_at < now())
        order by created_at
        limit 1
        for update skip locked)
    returning id`);
  const id = result.rows[0]?.id;
  if (!id) return undefined;
  const [run] = await db.select().from(promotions).where(eq(promotions.id, id));
  return run;
}

/**
 * Extends a claim while a promotion runs; false when the claim was lost.
 *
 * @example
 * if (!(await renewPromotionClaim(db, run, 120_000))) return 'lost';
 */
export async function renewPromotionClaim(db: DbOrTx, run: PromotionRun, leaseMs: number): Promise<boolean> {
  const rows = await db
    .update(promotions)
    .set({ claimExpiresAt: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
    .where(and(eq(promotions.id, run.id), eq(promotions.status, 'running'), eq(promotions.attempts, run.attempts)))
    .returning({ id: promotions.id });
  return rows.length === 1;
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
export async function finishPromotion(db: DbOrTx, run: PromotionRun, outcome: { status: 'succeeded' | 'failed'; result: unknown }): Promise<boolean> {
  const rows = await db
    .update(promotions)
    .set({ status: outcome.status, result: outcome.result, finishedAt: sql`now()`, claimExpiresAt: null })
    .where(and(eq(promotions.id, run.id), eq(promotions.status, 'running'), eq(promotions.attempts, run.attempts)))
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
    .where(and(eq(promotions.id, run.id), eq(promotions.status, 'running'), eq(promotions.attempts, run.attempts)))
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
    .where(and(eq(promotions.id, run.id), eq(promotions.status, 'running'), eq(promotions.attempts, run.attempts)))
    .returning({ id: promotions.id });
  return rows.length === 1;
}
