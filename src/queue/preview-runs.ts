import { eq, sql } from 'drizzle-orm';
import { previewRuns } from '../../db/schema.ts';
import type { DbOrTx, Tx } from '../database/connection.ts';
import { claimNext, stillClaimed } from './claims.ts';
import { notifyJobs } from './job-signal.ts';

export type PreviewRun = typeof previewRuns.$inferSelect;

/**
 * Queues a preview of one revision; the caller's transaction also stores the
 * revision. Listening workers are woken when that transaction commits.
 */
export async function enqueuePreview(tx: Tx, proposalId: string, revision: number): Promise<string> {
  const [row] = await tx
    .insert(previewRuns)
    .values({ proposalId, revision, status: 'queued' })
    .returning({ id: previewRuns.id });
  if (!row) throw new Error('inserting a preview run returned nothing');
  await notifyJobs(tx);
  return row.id;
}

/**
 * Claims the oldest preview that is queued or whose worker died (see claimNext).
 *
 * @example
 * const run = await claimPreview(db, 'worker-1', 120_000);
 */
export async function claimPreview(db: DbOrTx, worker: string, leaseMs: number): Promise<PreviewRun | undefined> {
  const id = await claimNext(db, previewRuns, worker, leaseMs);
  if (!id) return undefined;
  const [run] = await db.select().from(previewRuns).where(eq(previewRuns.id, id));
  return run;
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
    .where(stillClaimed(previewRuns, run))
    .returning({ id: previewRuns.id });
  return rows.length === 1;
}
