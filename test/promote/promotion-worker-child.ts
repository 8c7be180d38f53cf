// A promotion worker in its own process, for tests that kill it mid-promotion.
// Prints "paused <point>" and hangs when it reaches the requested point
// ("after_step:<n>" for a step); with "none" it runs on until killed.
import { openDatabase } from '../../src/database/connection.ts';
import { processNextPromotion } from '../../src/promote/promotion-worker.ts';

const [controlUrl, productionUrl, leaseMs, stopAt] = process.argv.slice(2);
const { db } = openDatabase(controlUrl ?? '');
await processNextPromotion({
  db,
  productionUrl: productionUrl ?? '',
  timeouts: { lockTimeoutMs: 2000, statementTimeoutMs: 60_000 },
  worker: `child-${process.pid}`,
  leaseMs: Number(leaseMs),
  pause: async (point, detail) => {
    const here = detail.statementIndex === undefined ? point : `${point}:${detail.statementIndex}`;
    if (here !== stopAt) return;
    process.stdout.write(`paused ${here}\n`);
    await new Promise(() => {});
  },
});
process.stdout.write('finished\n');
