import { eq } from 'drizzle-orm';
import { proposals } from '../../db/schema.ts';
import type { DbOrTx } from '../database/connection.ts';
import { terminalStatuses, type Status } from '../domain/lifecycle.ts';
import { AppError } from '../errors.ts';

export type WaitOutcome = 'reached' | 'ended' | 'changed' | 'timeout';

/**
 * Holds a reader until the proposal is in `target`, has ended in another
 * state (it can never get there), has moved on from the status it had when
 * the wait began (the caller decides whether to wait on), or `timeoutMs`
 * passed: the long poll behind `GET /api/proposals/:id?wait_for=`. One
 * indexed read per check, on the server, instead of a client's round trip
 * per check.
 *
 * @example
 * const outcome = await waitForStatus(db, id, 'awaiting_review', { timeoutMs: 30_000, signal: request.signal });
 */
export async function waitForStatus(
  db: DbOrTx,
  id: string,
  target: Status,
  options: { timeoutMs: number; signal?: AbortSignal; intervalMs?: number },
): Promise<WaitOutcome> {
  const deadline = Date.now() + options.timeoutMs;
  let first: Status | undefined;
  for (;;) {
    const [row] = await db.select({ status: proposals.status }).from(proposals).where(eq(proposals.id, id));
    if (!row) throw new AppError('not_found', `no proposal with id ${id}`);
    const status = row.status;
    if (status === target) return 'reached';
    if (terminalStatuses.includes(status)) return 'ended';
    first ??= status;
    // A failure a revision or a retry may follow (preview_failed, promotion_failed) answers as soon as a success would.
    if (status !== first) return 'changed';
    const left = deadline - Date.now();
    // A client that went away stops the wait: nobody is left to answer.
    if (left <= 0 || options.signal?.aborted) return 'timeout';
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs ?? 250, left)));
  }
}
