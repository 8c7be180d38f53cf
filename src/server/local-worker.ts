import type { Config } from '../config.ts';
import { openDatabase } from '../database/connection.ts';
import { drainJobs, drainPreviews, jobWorkers, sweepOnce } from '../jobs/runtime.ts';
import { listenForJobs } from '../queue/job-signal.ts';

/**
 * The local worker of `schemagate serve`: runs queued previews and
 * promotions (the background function's job on Netlify), takes over claims
 * that expired, and once a minute drops expired branches and expires idle proposals.
 *
 * @example
 * const worker = startLocalWorker(config, databaseUrl, console.error);
 * await worker.stop();
 */
export function startLocalWorker(
  config: Config,
  databaseUrl: string,
  log: (line: string) => void,
  options: { pollMs?: number; previewConcurrency?: number } = {},
) {
  // Previews wait on Postgres (copying the branch, replaying, dropping) more than on this process:
  // a few at once keep a burst of agents from queueing behind each other. Claims skip locked rows, so each runs once.
  const previewConcurrency = options.previewConcurrency ?? previewConcurrencyFromEnv(log);
  const database = openDatabase(databaseUrl, { max: previewConcurrency + 1 });
  const workers = jobWorkers(config, database.db, log);
  const { provider } = workers;
  let lastSweep = 0;
  let stopped = false;
  // One drainer of all jobs (promotions stay one at a time: they queue on production's lock anyway) and the
  // rest previews only. Every wake starts each drainer that is not running, so a burst queued while some run
  // is shared at once; one that is running finishes its pass, and goes again if it was woken meanwhile
  // (work queued while it drains may be past its claim query).
  const jobsDrainer = drainer(log, async () => {
    if (Date.now() - lastSweep > 60_000) {
      await sweepOnce(config, database.db, provider);
      lastSweep = Date.now();
    }
    await drainJobs(config, workers, { maxRuns: 25 });
  });
  const previewDrainers = Array.from({ length: previewConcurrency - 1 }, () =>
    drainer(log, () => drainPreviews(workers.previews, { maxRuns: 25 })),
  );
  const drainers = [jobsDrainer, ...previewDrainers];
  const tick = (): void => {
    if (stopped) return;
    for (const d of drainers) d.wake();
  };
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
      await Promise.all(drainers.map((d) => d.idle()));
      await database.close();
    },
  };
}

/** Runs `pass` when woken, one pass at a time; a wake during a pass runs one more pass after it. */
function drainer(log: (line: string) => void, pass: () => Promise<unknown>) {
  let running: Promise<void> | undefined;
  let again = false;
  const wake = (): void => {
    if (running) return void (again = true);
    again = false;
    running = pass()
      .then(
        () => {},
        (error: unknown) => log(`jobs worker: ${(error as Error).message}`),
      )
      .finally(() => {
        running = undefined;
        if (again) wake();
      });
  };
  return {
    wake,
    idle: async () => {
      again = false;
      while (running) await running;
    },
  };
}

const defaultPreviewConcurrency = 4;

/** SCHEMAGATE_PREVIEW_CONCURRENCY (1-32): a tuning knob, so a bad value is said and the default used. */
function previewConcurrencyFromEnv(log: (line: string) => void): number {
  const raw = process.env.SCHEMAGATE_PREVIEW_CONCURRENCY;
  if (raw === undefined || raw === '') return defaultPreviewConcurrency;
  const value = Number(raw);
  if (Number.isInteger(value) && value >= 1 && value <= 32) return value;
  log(
    `jobs worker: SCHEMAGATE_PREVIEW_CONCURRENCY=${JSON.stringify(raw)} is not a whole number from 1 to 32; running ${defaultPreviewConcurrency} previews at once`,
  );
  return defaultPreviewConcurrency;
}
