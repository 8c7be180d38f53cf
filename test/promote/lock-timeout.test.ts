import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { backoffDelay, defaultLockRetry } from '../../src/promote/lock-retry.ts';
import { processNextPromotion } from '../../src/promote/promotion-worker.ts';
import { retryPromotion } from '../../src/promote/retry-promotion.ts';
import { exists, ledgerRows, promotionFixture, type PromotionFixture } from './promotion-fixture.ts';

const lockTimeoutMs = 300;
const setup = 'create table t (id int primary key, v int); insert into t select g, g from generate_series(1, 100) g;';

/** A session in a transaction that has read `t`: its ACCESS SHARE lock blocks `alter table t` until it ends. */
async function longTransaction(f: PromotionFixture): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: f.production.url });
  await client.connect();
  await client.query('begin; select count(*) from t;');
  return client;
}

/** An approved promotion adding `t.c`, retried on lock timeouts as `lockRetry` says, and a session that blocks it. */
async function blockedPromotion(lockRetry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number }) {
  const f = await promotionFixture(setup, { timeouts: { lockTimeoutMs, statementTimeoutMs: 30_000 }, lockRetry });
  const id = await f.approved('alter table t add column c int;\n', 'add_c');
  const blocker = await longTransaction(f);
  return { f, id, blocker };
}

/** Primary-key reads and writes on `t` in a loop, recording each one's latency, until stopped. */
function workload(f: PromotionFixture) {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    const client = new pg.Client({ connectionString: f.production.url });
    await client.connect();
    for (let i = 0; running; i++) {
      const started = performance.now();
      await client.query(i % 2 ? 'select v from t where id = $1' : 'update t set v = v + 1 where id = $1', [
        (i % 100) + 1,
      ]);
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await client.end();
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return Math.max(...latencies);
    },
  };
}

describe('promotion under lock contention', () => {
  it('gives up within lock_timeout on each attempt, retries with backoff, and succeeds once the blocker ends', async () => {
    const { f, id, blocker } = await blockedPromotion({ maxAttempts: 30, baseDelayMs: 50, maxDelayMs: 300 });
    const load = workload(f);
    const promotion = processNextPromotion(f.deps);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await blocker.query('commit');
    await blocker.end();
    const result = await promotion;
    const maxLatency = await load.stop();

    expect(result).toMatchObject({ outcome: 'promoted' });
    expect(result!.lockRetries).toBeGreaterThanOrEqual(2);
    const timedOut = result!.apply!.attempts.filter((a) => a.lockTimeout);
    expect(timedOut).toHaveLength(result!.lockRetries);
    for (const attempt of timedOut) expect(attempt.durationMs).toBeLessThan(lockTimeoutMs + 250);
    // Queries queue behind the waiting ALTER for at most about lock_timeout, not for the whole 1.5 s blocker.
    expect(maxLatency).toBeLessThan(lockTimeoutMs + 400);
    expect(await f.status(id)).toBe('promoted');
    const { rows } = await f.app.database.pool.query(
      `select data from schemagate.audit_events where proposal_id = $1 and type = 'proposal.promotion_succeeded'`,
      [id],
    );
    expect(rows[0].data.lock_retries).toBe(result!.lockRetries);
  });

  it('fails after the bounded attempts with production untouched, and promotes on an operator retry', async () => {
    const { f, id, blocker } = await blockedPromotion({ maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 100 });
    const result = await processNextPromotion(f.deps);
    expect(result).toMatchObject({
      outcome: 'promotion_failed',
      lockRetries: 3,
      productionUntouched: true,
      error: { reason: 'migration_failed', migration: { code: '55P03', timeout: 'lock' } },
    });
    expect(result!.error!.message).toMatch(/gave up after 3 lock timeouts of 300 ms/);
    expect(await ledgerRows(f)).toEqual({ netlify: [], schemagate: [] });
    await blocker.query('commit');
    await blocker.end();

    await retryPromotion(f.app.database.db, id);
    expect(await processNextPromotion(f.deps)).toMatchObject({ outcome: 'promoted', lockRetries: 0 });
    expect(
      await f.query(`select attname from pg_attribute where attrelid = 't'::regclass and attname = 'c'`),
    ).toHaveLength(1);
    expect(await exists(f, 'netlify.migrations')).toBe(true);
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect(backoffDelay(defaultLockRetry, 1, () => 0.999)).toBe(199);
    expect(backoffDelay(defaultLockRetry, 3, () => 0.5)).toBe(400);
    expect(backoffDelay(defaultLockRetry, 20, () => 0.999)).toBe(4995);
    expect(backoffDelay(defaultLockRetry, 4, () => 0)).toBe(0);
  });
});
