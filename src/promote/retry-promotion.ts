import { and, desc, eq, inArray } from 'drizzle-orm';
import { promotions, proposals } from '../../db/schema.ts';
import { recordEvent } from '../database/audit-events.ts';
import type { Db } from '../database/connection.ts';
import { AppError } from '../errors.ts';
import { notifyJobs } from '../queue/job-signal.ts';

/**
 * Queues a new promotion of a `promotion_failed` proposal, for the same
 * revision and the same approved sha256 as before (an operator fixed the
 * cause: a long transaction, a lost connection). A step-by-step migration
 * resumes after its last completed step.
 *
 * @example
 * const { promotionId } = await retryPromotion(db, proposalId, 'operator:dana');
 */
export async function retryPromotion(
  db: Db,
  proposalId: string,
  actor = 'operator',
): Promise<{ promotionId: string; revision: number }> {
  return db.transaction(async (tx) => {
    const [proposal] = await tx
      .select({ status: proposals.status, currentRevision: proposals.currentRevision })
      .from(proposals)
      .where(eq(proposals.id, proposalId))
      .for('update');
    if (!proposal) throw new AppError('not_found', `no proposal with id ${proposalId}`);
    if (proposal.status !== 'promotion_failed') {
      throw new AppError(
        'illegal_transition',
        `proposal ${proposalId} is ${proposal.status}; only a promotion_failed proposal can be retried`,
        { status: proposal.status },
      );
    }
    const pending = await tx
      .select({ id: promotions.id })
      .from(promotions)
      .where(and(eq(promotions.proposalId, proposalId), inArray(promotions.status, ['queued', 'running'])));
    if (pending.length > 0)
      throw new AppError(
        'conflict',
        `proposal ${proposalId} already has a promotion queued or running (${pending[0]!.id})`,
      );
    const [approved] = await tx
      .select({ sha256: promotions.sha256 })
      .from(promotions)
      .where(and(eq(promotions.proposalId, proposalId), eq(promotions.revision, proposal.currentRevision)))
      .orderBy(desc(promotions.createdAt))
      .limit(1);
    if (!approved)
      throw new AppError(
        'conflict',
        `proposal ${proposalId} has no approved promotion of revision ${proposal.currentRevision} to retry`,
      );
    const [row] = await tx
      .insert(promotions)
      .values({ proposalId, revision: proposal.currentRevision, sha256: approved.sha256, status: 'queued' })
      .returning({ id: promotions.id });
    await recordEvent(tx, {
      proposalId,
      type: 'promotion.retry_queued',
      actor,
      data: { promotion: row!.id, revision: proposal.currentRevision },
    });
    // Delivered on commit: a listening worker runs the retry at once, not on its next poll.
    await notifyJobs(tx);
    return { promotionId: row!.id, revision: proposal.currentRevision };
  });
}
