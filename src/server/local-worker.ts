import type { Config } from '../config.ts';
import { openDatabase } from '../database/connection.ts';
import { branchProvider, drainJobs, previewWorkerDeps, promotionWorkerDeps, sweepOnce } from '../jobs/runtime.ts';
import { githubProvider } from '../review/github-setup.ts';
import { listenForJobs } from '../jobs/job-signal.ts';

/**
 * The local worker of `schemagate serve`: runs queued previews and
 * promotions (the background function's job on Netlify), takes over claims
 * that expired, and once a minute drops expired branches and expires idle proposals.
 *
 * @example
 * const worker = startLocalWorker(config, databaseUrl, console.error);
 * await worker.stop();
 */
export function startLocalWorker(config: Config, databaseUrl: string, log: (line: string) => void, options: { pollMs?: number } = {}) {
  const database = openDatabase(databaseUrl, { max: 2 });
  const provider = branchProvider(config);
  const github = githubProvider(config, log);
  const workers = {
    previews: previewWorkerDeps(config, database.db, log, provider, github),
    promotions: promotionWorkerDeps(config, database.db, log, github),
    github,
  };
  let running: Promise<unknown> | undefined;
  let again = false;
  let lastSweep = 0;
  const tick = (): void => {
    // Work queued while a drain runs may be past its claim query: drain once more after it.
    if (running) return void (again = true);
    const sweep = Date.now() - lastSweep > 60_000 ? sweepOnce(config, database.db, provider).then(() => (lastSweep = Date.now())) : Promise.resolve();
    running = sweep
      .then(() => drainJobs(config, workers, { maxRuns: 25 }))
      .catch((error: unknown) => log(`jobs worker: ${(error as Error).message}`))
      .finally(() => {
        running = undefined;
        if (again && !stopped) {
          again = false;
          tick();
        }
      });
  };
  let stopped = false;
  // Woken at once by NOTIFY when work is queued; the poll is the safety net for writers that do not notify.
  const listener = listenForJobs(databaseUrl, tick, log);
  const timer = setInterval(tick, options.pollMs ?? 1000);
  return {
    /** Listening for NOTIFY (or given up and polling): work queued from now on wakes it. */
    ready: listener.ready,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await listener.stop();
      while (running) await running;
      await database.close();
    },
  };
}
