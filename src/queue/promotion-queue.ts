import { and, eq } from 'drizzle-orm';
import { promotions } from '../../db/schema.ts';
import type { Tx } from '../database/connection.ts';

/** Cancels the proposal's promotion still waiting in the queue (one that started is the worker's to finish). */
export async function cancelQueuedPromotions(tx: Tx, proposalId: string): Promise<void> {
  await tx
    .update(promotions)
    .set({ status: 'cancelled' })
    .where(and(eq(promotions.proposalId, proposalId), eq(promotions.status, 'queued')));
}
