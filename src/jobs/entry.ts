import { loadConfig, type Config } from '../config.ts';
import { openDatabase } from '../database/connection.ts';
import { AppError } from '../errors.ts';
import { errorResponse } from '../http/respond.ts';
import { assertProductionRole } from '../promote/production-startup.ts';
import { assertLocalReviewWritable } from '../review/local-review.ts';
import { hasClaimableWork } from '../queue/claims.ts';
import { startBackgroundJobs, verifyJobsSecret } from '../http/jobs-secret.ts';
import { branchProvider, drainJobs, jobWorkers, sweepOnce } from './runtime.ts';

// Netlify stops a background function after 15 minutes; leave room to finish the last run.
const backgroundBudgetMs = 13 * 60_000;
// Netlify stops a scheduled function after 30 s. The sweeper stops starting
// work after 20 s and gives up waiting at 25 s, leaving room to close its pool.
const sweeperBudgetMs = 20_000;
const sweeperHardStopMs = 25_000;

const log = (message: string, error?: unknown) => console.error(`schemagate: ${message}`, ...(error ? [error] : []));
const environmentConfig = () => loadConfig({ env: process.env, cwd: process.cwd() });

/**
 * The jobs background function: refuses a call without the shared secret
 * (`401 invalid_jobs_secret`), then runs queued previews and promotions
 * (and claims whose worker died) until none is left or 13 minutes are spent.
 * On Netlify the caller already got its 202; the answer is for local runs and logs.
 *
 * @example
 * export default (request: Request) => handleJobsRequest(request);
 */
export async function handleJobsRequest(request: Request): Promise<Response> {
  try {
    const config = environmentConfig();
    verifyJobsSecret(request, config.jobsSecret);
    return Response.json(await runJobs(config));
  } catch (error) {
    return errorResponse(error, (message, e) => log(`jobs: ${message}`, e));
  }
}

/**
 * Runs queued previews, then promotions, until none is left or the budget
 * is spent. Refuses to start where local review cannot write its files.
 *
 * @example
 * await runJobs(loadConfig({ env: process.env, cwd: process.cwd() }));
 */
async function runJobs(
  config: Config,
  budgetMs = backgroundBudgetMs,
): Promise<{ previews: number; promotions: number }> {
  const url = config.databaseUrl;
  if (!url) throw new AppError('configuration_error', 'DATABASE_URL (or NETLIFY_DB_URL) is not set');
  await assertLocalReviewWritable(config.review);
  await assertProductionRole(config, log);
  const database = openDatabase(url, { max: 2, allowExitOnIdle: true });
  try {
    return await drainJobs(config, jobWorkers(config, database.db, log), {
      maxRuns: 50,
      deadline: Date.now() + budgetMs,
    });
  } finally {
    await database.close();
  }
}

export interface SweepOutcome {
  dropped: string[];
  expired: string[];
  /** Previews or promotions were waiting (queued, or claimed by a worker that died). */
  pending: boolean;
  /** The background function was started to run them. */
  handedOff: boolean;
}

/**
 * The scheduled sweeper, within Netlify's 30 s for scheduled functions: it
 * never runs a preview or a promotion itself (one can take minutes). It
 * drops expired branches and expires idle proposals until its budget is
 * spent, and when work is waiting (queued, or a claim whose worker died)
 * starts the jobs background function, with the shared secret, to run it.
 *
 * @example
 * export default (request: Request, context: Context) => sweepJobs({ siteUrl: context.site?.url });
 */
export async function sweepJobs(options: {
  siteUrl: string | undefined;
  config?: Config;
  budgetMs?: number;
  hardStopMs?: number;
}): Promise<SweepOutcome> {
  const config = options.config ?? environmentConfig();
  const url = config.databaseUrl;
  if (!url) throw new AppError('configuration_error', 'DATABASE_URL (or NETLIFY_DB_URL) is not set');
  if (!config.jobsSecret)
    throw new AppError(
      'configuration_error',
      'SCHEMAGATE_JOBS_SECRET is not set: the sweeper starts the jobs background function with it',
    );
  const siteUrl = options.siteUrl ?? process.env.URL;
  if (!siteUrl)
    throw new AppError(
      'configuration_error',
      "the site's URL is unknown (Netlify passes it as context.site.url and URL)",
    );
  const secret = config.jobsSecret;
  const deadline = Date.now() + (options.budgetMs ?? sweeperBudgetMs);
  const database = openDatabase(url, { max: 2, allowExitOnIdle: true });
  let timer: NodeJS.Timeout | undefined;
  const hardStop = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AppError(
            'timeout',
            `the sweeper stopped after ${(options.hardStopMs ?? sweeperHardStopMs) / 1000} s; the next run carries on`,
          ),
        ),
      options.hardStopMs ?? sweeperHardStopMs,
    );
  });
  const work = async (): Promise<SweepOutcome> => {
    const { dropped, expired } = await sweepOnce(config, database.db, branchProvider(config), deadline);
    const pending = await hasClaimableWork(database.db);
    const remaining = deadline - Date.now();
    const handedOff = pending && remaining > 0 ? await startBackgroundJobs(siteUrl, secret, log, remaining) : false;
    return { dropped, expired, pending, handedOff };
  };
  try {
    return await Promise.race([work(), hardStop]);
  } finally {
    clearTimeout(timer);
    await database.close().catch(() => {});
  }
}
