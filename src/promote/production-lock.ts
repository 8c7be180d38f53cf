import type pg from 'pg';
import { advisoryUnlock, tryAdvisoryLock } from '../database/advisory-locks.ts';

// Advisory locks are scoped to the current database, so one lock name
// means "one promotion at a time per production database".
const promotionLock = 'promotion';

export interface LockWait {
  acquired: boolean;
  waitedMs: number;
}

/**
 * Takes the session-level promotion lock of the connected database, polling
 * `pg_try_advisory_lock` for at most `waitMs`: a blocking `pg_advisory_lock`
 * could outlive the worker's claim and holds no deadline of its own. The lock
 * dies with the session, so a killed worker never leaves it behind.
 *
 * @example
 * const { acquired } = await acquirePromotionLock(client, { waitMs: 60_000 });
 * try { ... } finally { if (acquired) await releasePromotionLock(client); }
 */
export async function acquirePromotionLock(
  client: pg.ClientBase,
  options: { waitMs: number; pollMs?: number },
): Promise<LockWait> {
  const started = performance.now();
  const pollMs = options.pollMs ?? 100;
  for (;;) {
    const locked = await tryAdvisoryLock(client, promotionLock);
    const waitedMs = performance.now() - started;
    if (locked) return { acquired: true, waitedMs };
    if (waitedMs + pollMs > options.waitMs) return { acquired: false, waitedMs };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Releases the lock taken by `acquirePromotionLock` on the same session. */
export async function releasePromotionLock(client: pg.ClientBase): Promise<void> {
  await advisoryUnlock(client, promotionLock);
}
