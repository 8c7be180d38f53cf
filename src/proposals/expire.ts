import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { proposals } from '../../db/schema.ts';
import type { Db } from '../database/connection.ts';
import { allowedFrom, type Status } from '../domain/lifecycle.ts';
import { cancelQueuedPromotions } from '../queue/promotion-queue.ts';
import { transitionProposal } from './transition.ts';

// Approved proposals are about to be promoted and previewing ones are being
// worked on; everything else the lifecycle lets expire may go quiet.
const expirable: Status[] = allowedFrom('expire').filter((s) => s !== 'approved' && s !== 'previewing');

/**
 * Ends proposals nobody touched for `afterDays`: their previews are stale and
 * their reviewers have moved on. Returns the ids it expired.
 *
 * @example
 * await expireIdleProposals(db, { afterDays: 14, now: new Date() });
 */
export async function expireIdleProposals(db: Db, options: { afterDays: number; now: Date }): Promise<string[]> {
  const cutoff = new Date(options.now.getTime() - options.afterDays * 86_400_000);
  const idle = await db
    .select({ id: proposals.id })
    .from(proposals)
    .where(
      and(inArray(proposals.status, expirable), lt(proposals.updatedAt, sql`${cutoff.toISOString()}::timestamptz`)),
    );
  const expired: string[] = [];
  for (const { id } of idle) {
    // Re-checked under the row lock: a review or revision may have arrived meanwhile.
    const done = await db.transaction(async (tx) => {
      const [row] = await tx
        .select({ status: proposals.status, updatedAt: proposals.updatedAt })
        .from(proposals)
        .where(eq(proposals.id, id))
        .for('update');
      if (!row || !expirable.includes(row.status) || row.updatedAt >= cutoff) return false;
      await cancelQueuedPromotions(tx, id);
      await transitionProposal(tx, {
        proposalId: id,
        event: 'expire',
        actor: 'schemagate',
        data: { idle_days: options.afterDays },
      });
      return true;
    });
    if (done) expired.push(id);
  }
  return expired;
}
