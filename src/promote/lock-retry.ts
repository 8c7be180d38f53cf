import pg from 'pg';

export interface LockRetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultLockRetry: LockRetryPolicy = { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 5_000 };

/** SQLSTATE lock_not_available: what `lock_timeout` raises. */
export function isLockTimeout(error: unknown): boolean {
  return error instanceof pg.DatabaseError && error.code === '55P03';
}

/**
 * The pause before retry number `retry` (1-based): exponential, capped, with
 * full jitter so that several promotions (or a promotion and an application
 * retrying its own work) do not queue for the lock in lockstep.
 *
 * @example
 * backoffDelay(defaultLockRetry, 3); // a random value in [0, 800)
 */
export function backoffDelay(policy: LockRetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

export interface AttemptRecord {
  attempt: number;
  durationMs: number;
  /** Set when the attempt gave up on a lock; the pause that followed it. */
  lockTimeout?: { waitedMs: number; backoffMs: number };
}

/**
 * Runs `attempt` until it does not fail with a lock timeout, at most
 * `policy.maxAttempts` times. Any other outcome (success or another error)
 * ends the loop; the last lock-timeout error is rethrown when attempts run
 * out. `attempts` receives one record per try.
 *
 * @example
 * const attempts: AttemptRecord[] = [];
 * await withLockRetry(defaultLockRetry, attempts, () => applyOnce(client));
 */
export async function withLockRetry<T>(
  policy: LockRetryPolicy,
  attempts: AttemptRecord[],
  attempt: (n: number) => Promise<T>,
): Promise<T> {
  for (let n = 1; ; n++) {
    const started = performance.now();
    try {
      const value = await attempt(n);
      attempts.push({ attempt: n, durationMs: performance.now() - started });
      return value;
    } catch (error) {
      const durationMs = performance.now() - started;
      if (!isLockTimeout(error) || n >= policy.maxAttempts) {
        attempts.push({
          attempt: n,
          durationMs,
          ...(isLockTimeout(error) ? { lockTimeout: { waitedMs: durationMs, backoffMs: 0 } } : {}),
        });
        throw error;
      }
      const backoffMs = backoffDelay(policy, n);
      attempts.push({ attempt: n, durationMs, lockTimeout: { waitedMs: durationMs, backoffMs } });
      await new Promise((resolve) => setTimeout(resolve, backoffMs));
    }
  }
}
