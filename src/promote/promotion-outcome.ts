import { eq } from 'drizzle-orm';
import { promotions, proposals } from '../../db/schema.ts';
import { recordEvent } from '../database/audit-events.ts';
import type { Tx } from '../database/connection.ts';
import { canHappen, type Status } from '../domain/lifecycle.ts';
import { enqueuePreview } from '../queue/preview-runs.ts';
import { transitionProposal } from '../proposals/transition.ts';
import type { PromotionResult } from './promotion-result.ts';
import { finishPromotion, type PromotionRun } from './promotion-runs.ts';
import { renewClaim } from '../queue/claims.ts';

/**
 * Moves the proposal to `promoting` before production is touched, fenced by
 * the claim, in the caller's transaction: false when the run was taken over
 * or the proposal moved on.
 *
 * @example
 * if (!(await db.transaction((tx) => startPromotion(tx, run, actor, leaseMs, data)))) return 'lost';
 */
export async function startPromotion(
  tx: Tx,
  run: PromotionRun,
  actor: string,
  leaseMs: number,
  data: Record<string, unknown>,
): Promise<boolean> {
  const status = await lockStatus(tx, run.proposalId);
  if (!(await renewClaim(tx, promotions, run, leaseMs))) return false;
  if (status && canHappen(status, 'start_promotion')) {
    await transitionProposal(tx, { proposalId: run.proposalId, event: 'start_promotion', actor, data });
    return true;
  }
  if (status === 'promoting') {
    // The previous claimant died mid-promotion; say so in the audit trail.
    await recordEvent(tx, {
      proposalId: run.proposalId,
      type: 'promotion.taken_over',
      actor,
      data: { ...data, attempt: run.attempts },
    });
    return true;
  }
  return false;
}

/**
 * Finishes the run and moves the proposal in ONE control-plane transaction,
 * the caller's: promoted, promotion_failed, or stale with a new preview
 * queued. Returns false when the claim was lost: the run's current claimant
 * records instead.
 *
 * @example
 * await db.transaction((tx) => settlePromotion(tx, run, result, 'worker:w1'));
 */
export async function settlePromotion(
  tx: Tx,
  run: PromotionRun,
  result: PromotionResult,
  actor: string,
): Promise<boolean> {
  const status = await lockStatus(tx, run.proposalId);
  const succeeded = result.outcome === 'promoted' || result.outcome === 'already_applied';
  if (result.outcome === 'stale' && status === 'approved') {
    result.previewQueued = await enqueuePreview(tx, run.proposalId, run.revision);
  }
  if (!(await finishPromotion(tx, run, { status: succeeded ? 'succeeded' : 'failed', result }))) return false;
  const data = auditData(result);
  if (result.outcome === 'stale' && status === 'approved') {
    await transitionProposal(tx, { proposalId: run.proposalId, event: 'production_moved', actor, data });
    return true;
  }
  if (!succeeded && result.outcome !== 'promotion_failed') return true;
  if (status && canHappen(status, 'start_promotion')) {
    await transitionProposal(tx, {
      proposalId: run.proposalId,
      event: 'start_promotion',
      actor,
      data: { promotion: run.id, attempt: run.attempts },
    });
  } else if (status !== 'promoting') {
    // Already promoted by another run of the same proposal (two approvals at once): nothing to move.
    return true;
  }
  await transitionProposal(tx, {
    proposalId: run.proposalId,
    event: succeeded ? 'promotion_succeeded' : 'promotion_failed',
    actor,
    data,
  });
  return true;
}

async function lockStatus(tx: Tx, proposalId: string): Promise<Status | undefined> {
  const [row] = await tx
    .select({ status: proposals.status })
    .from(proposals)
    .where(eq(proposals.id, proposalId))
    .for('update');
  return row?.status;
}

function auditData(result: PromotionResult): Record<string, unknown> {
  return {
    promotion: result.promotionId,
    attempt: result.attempt,
    revision: result.revision,
    name: result.name,
    sha256: result.sha256,
    outcome: result.outcome,
    lock_retries: result.lockRetries,
    timings_ms: result.timings,
    ...(result.apply ? { mode: result.apply.mode } : {}),
    ...(result.completedSteps ? { completed_steps: result.completedSteps } : {}),
    ...(result.productionUntouched !== undefined ? { production_untouched: result.productionUntouched } : {}),
    ...(result.previewQueued ? { preview_run: result.previewQueued } : {}),
    ...(result.error
      ? { reason: result.error.reason, error: result.error.migration ?? { message: result.error.message } }
      : {}),
  };
}
