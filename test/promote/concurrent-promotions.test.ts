import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { acquirePromotionLock, releasePromotionLock } from '../../src/promote/production-lock.ts';
import { processNextPromotion } from '../../src/promote/promotion-worker.ts';
import { createScratchDatabase } from '../support/database.ts';
import { exists, ledgerRows, promotionFixture } from './promotion-fixture.ts';

describe('concurrent promotions on one production database', () => {
  it('serialises them with the advisory lock: the second sees the first applied and goes stale, never applying on a moved head', async () => {
    const f = await promotionFixture();
    const first = await f.approved('create table a (id int);\nselect pg_sleep(1);\n', 'first');
    const second = await f.approved('create table b (id int);\n', 'second');
    // w1 claims the older promotion and holds production's lock once its proposal is promoting; only then does w2 start.
    const one = processNextPromotion({ ...f.deps, worker: 'w1' });
    for (let i = 0; i < 200 && (await f.status(first)) !== 'promoting'; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const [promoted, stale] = await Promise.all([one, processNextPromotion({ ...f.deps, worker: 'w2' })]);
    expect(promoted).toMatchObject({ proposalId: first });
    expect(promoted).toMatchObject({ outcome: 'promoted' });
    expect(stale).toMatchObject({ outcome: 'stale' });
    // The second waited for the first's whole apply (including its pg_sleep) before deciding.
    expect(stale!.timings.lockWaitMs).toBeGreaterThan(400);
    expect(await exists(f, 'public.b')).toBe(false);
    expect(await f.status(second)).toBe('stale');

    await f.repreviewAndApprove(second);
    expect(await processNextPromotion(f.deps)).toMatchObject({ outcome: 'promoted' });
    expect((await ledgerRows(f)).netlify.map((n) => n.replace(/^\d+_/, ''))).toEqual(['first', 'second']);
    expect(await f.status(first)).toBe('promoted');
    expect(await f.status(second)).toBe('promoted');
  });

  it('takes the promotion lock per database, with a bounded wait', async () => {
    const [one, other] = [await createScratchDatabase(), await createScratchDatabase()];
    const sessions = [one.url, one.url, other.url].map((connectionString) => new pg.Client({ connectionString }));
    await Promise.all(sessions.map((s) => s.connect()));
    const [holder, waiter, elsewhere] = sessions as [pg.Client, pg.Client, pg.Client];
    try {
      expect((await acquirePromotionLock(holder, { waitMs: 100 })).acquired).toBe(true);
      const waited = await acquirePromotionLock(waiter, { waitMs: 300, pollMs: 50 });
      expect(waited.acquired).toBe(false);
      expect(waited.waitedMs).toBeLessThan(600);
      expect((await acquirePromotionLock(elsewhere, { waitMs: 100 })).acquired).toBe(true);
      await releasePromotionLock(holder);
      expect((await acquirePromotionLock(waiter, { waitMs: 100 })).acquired).toBe(true);
    } finally {
      await Promise.all(sessions.map((s) => s.end()));
    }
  });
});
