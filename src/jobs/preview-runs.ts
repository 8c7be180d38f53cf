import { and, eq, sql } from 'drizzle-orm';
import { previewRuns } from '../../db/schema.ts';
import type { DbOrTx } from '../database/connection.ts';

export type PreviewRun = typeof previewRuns.$inferSelect;

/** Queues a preview of one revision; the caller's transaction also stores the revision. */
export async function enqueuePreview(db: DbOrTx, proposalId: string, revision: number): Promise<string> {
  const [row] = await db.insert(previewRuns).values({ proposalId, revision, status: 'queued' }).returning({ id: previewRuns.id });
  if (!row) throw new Error('inserting a preview run returned nothing');
  return row.id;
}

/**
 * Claims the oldest preview that is queued, or whose claim outlived its
 * deadline (its worker died). `FOR UPDATE SKIP LOCKED` lets any number of
 * workers claim at once without waiting on each other or taking the same run.
 * `attempts` doubles as a fencing token: only the latest claimant may finish.
 *
 * @example
 * const run = await claimPreview(db, 'worker-1', 120_000);
 */
export async function claimPreview(db: DbOrTx, worker: string, leaseMs: number): Promise<PreviewRun | undefined> {
  const result = await db.execute<{ id: string }>(sql`
    update ${previewRuns}
       set status = 'running',
           claimed_by = ${worker},
           claim_expires_at = now() + make_interval(secs => ${leaseMs / 1000}),
           attempts = attempts + 1
     where id = (
       select id from ${previewRuns}
        where status = 'queued' or (status = 'running' and claim_expires_at < now())
        order by created_at
        limit 1
        for update skip locked)
    returning id`);
  const id = result.rows[0]?.id;
  if (!id) return undefined;
  const [run] = await db.select().from(previewRuns).where(eq(previewRuns.id, id));
  return run;
}

/** Extends a claim while a long preview runs; false when the claim was lost. */
export async function renewClaim(db: DbOrTx, run: PreviewRun, leaseMs: number): Promise<boolean> {
  const rows = await db
    .update(previewRuns)
    .set({ claimExpiresAt: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
    .where(and(eq(previewRuns.id, run.id), eq(previewRuns.status, 'running'), eq(previewRuns.attempts, run.attempts)))
    .returning({ id: previewRuns.id });
  return rows.length === 1;
}

/**
 * Records the outcome, only if this claim is still the current one. Returns
 * false when another worker took the run over: its outcome wins.
 */
export async function finishPreview(
  db: DbOrTx,
  run: PreviewRun,
  outcome: { status: 'succeeded' | 'failed' | 'superseded'; result: unknown; productionHead?: string | null },
): Promise<boolean> {
  const rows = await db
    .update(previewRuns)
    .set({
      status: outcome.status,
      result: outcome.result,
      productionHead: outcome.productionHead ?? null,
      finishedAt: sql`now()`,
      claimExpiresAt: null,
    })
    .where(and(eq(previewRuns.id, run.id), eq(previewRuns.status, 'running'), eq(previewRuns.attempts, run.attempts)))
    .returning({ id: previewRuns.id });
  return rows.length === 1;
}
