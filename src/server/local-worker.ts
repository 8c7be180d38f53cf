import type { Config } from '../config.ts';
import { openDatabase } from '../database/connection.ts';
import { branchProvider, drainJobs, previewWorkerDeps, promotionWorkerDeps, sweepOnce } from '../jobs/runtime.ts';
import { githubProvider } from '../review/github-setup.ts';

/**
 * The local worker of `schemagate serve`: runs queued previews and
 * promotions (the background function's job on Netlify), takes over claims
 * that expired, and once a minute drops expired branches and expires idle proposals.
 *
 * @example
 * const worker = startLocalWorker(config, databaseUrl, console.error);
 * await worker.stop();
 */
export function startLocalWorker(config: Config, databaseUrl: string, log: (line: string) => void) {
  const database = openDatabase(databaseUrl, { max: 2 });
  const provider = branchProvider(config);
  const github = githubProvider(config, log);
  const workers = {
    previews: previewWorkerDeps(config, database.db, log, provider, github),
    promotions: promotionWorkerDeps(config, database.db, log, github),
    github,
  };
  let running: Promise<unknown> | undefined;
  let lastSweep = 0;
  const tick = () => {
    if (running) return;
    const sweep = Date.now() - lastSweep > 60_000 ? sweepOnce(config, database.db, provider).then(() => (lastSweep = Date.now())) : Promise.resolve();
    running = sweep
      .then(() => drainJobs(config, workers, { maxRuns: 25 }))
      .catch((error: unknown) => log(`jobs worker: ${(error as Error).message}`))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(tick, 1000);
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
      await database.close();
    },
  };
}
