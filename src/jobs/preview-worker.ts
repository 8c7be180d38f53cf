import { and, eq } from 'drizzle-orm';
import { previewRuns, proposalRevisions, proposals } from '../../db/schema.ts';
import { recordEvent } from '../database/audit-events.ts';
import type { Db, Tx } from '../database/connection.ts';
import { canHappen } from '../domain/lifecycle.ts';
import { transitionProposal } from '../proposals/transition.ts';
import { claimPreview, finishPreview, type PreviewRun } from '../queue/preview-runs.ts';
import { renewClaim } from '../queue/claims.ts';

export interface PreviewRequest {
  proposalId: string;
  revision: number;
  sql: string;
  downSql: string | null;
  /** Unique per run and attempt, usable as a branch name. */
  branchName: string;
}

export interface PreviewOutcome {
  ok: boolean;
  /** The JSON record of what happened, shown to the agent and the reviewer. */
  result: unknown;
  /** Production's migration head the preview started from. */
  productionHead?: string | null;
  /** low | medium | high | forbidden: decides how many approvals are needed. */
  riskClass?: string;
}

export type PreviewExecutor = (request: PreviewRequest) => Promise<PreviewOutcome>;

export interface WorkerDeps {
  db: Db;
  execute: PreviewExecutor;
  worker: string;
  leaseMs: number;
  log?: (message: string) => void;
  /** Puts a successfully previewed proposal under review (local file or GitHub pull request). */
  publish?: (proposalId: string) => Promise<void>;
}

export type WorkResult = 'idle' | 'completed' | 'superseded' | 'lost';

/**
 * Claims one queued preview and runs it to the end: `received → previewing →
 * awaiting_review | preview_failed`. A run whose worker died is taken over
 * once its claim expires; only the latest claimant's outcome is recorded.
 *
 * @example
 * while ((await processNextPreview(deps)) !== 'idle');
 */
export async function processNextPreview(deps: WorkerDeps): Promise<WorkResult> {
  const run = await claimPreview(deps.db, deps.worker, deps.leaseMs);
  if (!run) return 'idle';
  const started = await start(deps, run);
  if (!started) {
    await finishPreview(deps.db, run, { status: 'superseded', result: null });
    return 'superseded';
  }

  const renew = setInterval(
    () => void renewClaim(deps.db, previewRuns, run, deps.leaseMs).catch(() => {}),
    deps.leaseMs / 3,
  );
  let outcome: PreviewOutcome;
  try {
    outcome = await deps.execute({
      ...started,
      branchName: `sg_preview_${run.proposalId.slice(0, 8)}_r${run.revision}_a${run.attempts}`,
    });
  } catch (error) {
    deps.log?.(`preview ${run.id} failed in the infrastructure: ${(error as Error).message}`);
    outcome = { ok: false, result: { error: { kind: 'infrastructure', message: (error as Error).message } } };
  } finally {
    clearInterval(renew);
  }
  const result = await finish(deps, run, outcome);
  if (result === 'completed' && outcome.ok && deps.publish) {
    try {
      await deps.publish(run.proposalId);
    } catch (error) {
      // The proposal stays awaiting_review without a review location; nothing retries it yet (a revision publishes again).
      deps.log?.(`publishing the review of ${run.proposalId} failed: ${(error as Error).message}`);
    }
  }
  return result;
}

/** Moves the proposal to `previewing` and returns the revision to preview, or undefined if it is obsolete. */
async function start(deps: WorkerDeps, run: PreviewRun): Promise<Omit<PreviewRequest, 'branchName'> | undefined> {
  return deps.db.transaction(async (tx) => {
    const proposal = await lockProposalState(tx, run.proposalId);
    if (!proposal || proposal.currentRevision !== run.revision) return undefined;
    const status = proposal.status;
    if (canHappen(status, 'start_preview')) {
      await transitionProposal(tx, {
        proposalId: run.proposalId,
        event: 'start_preview',
        actor: `worker:${deps.worker}`,
        data: { preview_run: run.id, revision: run.revision },
      });
    } else if (status === 'previewing') {
      // The previous claimant died mid-preview; say so in the audit trail.
      await recordEvent(tx, {
        proposalId: run.proposalId,
        type: 'preview.taken_over',
        actor: `worker:${deps.worker}`,
        data: { preview_run: run.id, attempt: run.attempts },
      });
    } else {
      return undefined;
    }
    const [revision] = await tx
      .select()
      .from(proposalRevisions)
      .where(and(eq(proposalRevisions.proposalId, run.proposalId), eq(proposalRevisions.number, run.revision)));
    if (!revision) return undefined;
    return { proposalId: run.proposalId, revision: run.revision, sql: revision.sql, downSql: revision.downSql };
  });
}

async function lockProposalState(tx: Tx, proposalId: string) {
  const [row] = await tx
    .select({ status: proposals.status, currentRevision: proposals.currentRevision })
    .from(proposals)
    .where(eq(proposals.id, proposalId))
    .for('update');
  return row;
}

async function finish(deps: WorkerDeps, run: PreviewRun, outcome: PreviewOutcome): Promise<WorkResult> {
  return deps.db.transaction(async (tx) => {
    const proposal = await lockProposalState(tx, run.proposalId);
    const event = outcome.ok ? 'preview_succeeded' : 'preview_failed';
    // A revision or a withdrawal arrived while this preview ran: its result describes nothing current.
    const current = !!proposal && canHappen(proposal.status, event) && proposal.currentRevision === run.revision;
    const status = current ? (outcome.ok ? 'succeeded' : 'failed') : 'superseded';
    const recorded = await finishPreview(tx, run, {
      status,
      result: outcome.result,
      productionHead: outcome.productionHead ?? null,
    });
    if (!recorded) return 'lost';
    if (!current) return 'superseded';
    await tx
      .update(proposals)
      .set({ riskClass: outcome.riskClass ?? null })
      .where(eq(proposals.id, run.proposalId));
    await transitionProposal(tx, {
      proposalId: run.proposalId,
      event,
      actor: `worker:${deps.worker}`,
      data: { preview_run: run.id, revision: run.revision, attempt: run.attempts },
    });
    return 'completed';
  });
}
