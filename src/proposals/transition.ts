import { eq, sql } from 'drizzle-orm';
import { proposals } from '../../db/schema.ts';
import { recordEvent } from '../database/audit-events.ts';
import type { Tx } from '../database/connection.ts';
import { nextStatus, type LifecycleEvent, type Status } from '../domain/lifecycle.ts';
import { AppError } from '../errors.ts';

export interface TransitionInput {
  proposalId: string;
  event: LifecycleEvent;
  actor: string;
  data?: Record<string, unknown>;
}

/**
 * Moves a proposal through the lifecycle and writes its audit event, inside
 * the caller's transaction. The row is locked first, so two concurrent
 * transitions are serialised and the second sees the first's outcome.
 *
 * @example
 * await db.transaction((tx) => transitionProposal(tx, { proposalId, event: 'withdraw', actor: 'agent:claude' }));
 */
export async function transitionProposal(tx: Tx, input: TransitionInput): Promise<{ from: Status; to: Status }> {
  const [row] = await tx
    .select({ status: proposals.status })
    .from(proposals)
    .where(eq(proposals.id, input.proposalId))
    .for('update');
  if (!row) throw new AppError('not_found', `no proposal with id ${input.proposalId}`);
  const from = row.status;
  const to = nextStatus(from, input.event);
  await tx
    .update(proposals)
    .set({ status: to, updatedAt: sql`now()` })
    .where(eq(proposals.id, input.proposalId));
  await recordEvent(tx, {
    proposalId: input.proposalId,
    type: `proposal.${input.event}`,
    fromStatus: from,
    toStatus: to,
    actor: input.actor,
    data: input.data ?? {},
  });
  return { from, to };
}
