import { eq } from 'drizzle-orm';
import { proposals } from '../../db/schema.ts';
import type { DbOrTx } from '../database/connection.ts';
import { terminalStatuses, type Status } from '../domain/lifecycle.ts';
import { AppError } from '../errors.ts';

export type WaitOutcome = 'reached' | 'ended' | 'timeout';

/**
 * Holds a reader until the proposal is in `target`, has ended in another
 * state (it can never get there), or `timeoutMs` passed: the long poll behind
 * `GET /api/proposals/:id?wait_for=`. One indexed read per check, on the
 * server, instead of a client's round trip per check.
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
  for (;;) {
    const [row] = await db.select({ status: proposals.status }).from(proposals).where(eq(proposals.id, id));
    if (!row) throw new AppError('not_found', `no proposal with id ${id}`);
    const status = row.status as Status;
    if (status === target) return 'reached';
    if (terminalStatuses.includes(status)) return 'ended';
    const left = deadline - Date.now();
    // A client that went away stops the wait: nobody is left to answer.
    if (left <= 0 || options.signal?.aborted) return 'timeout';
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs ?? 250, left)));
  }
}
