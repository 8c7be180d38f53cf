import { loadConfig } from '../config.ts';
import { openDatabase } from '../database/connection.ts';
import { AppError } from '../errors.ts';
import { startBackgroundJobs } from './jobs-secret.ts';
import { assertLocalReviewWritable } from '../review/local-review.ts';
import { githubProvider } from '../review/github-setup.ts';
import type { HttpDeps } from './deps.ts';
import { errorResponse } from './respond.ts';
import { handleApi } from './router.ts';

let deps: Promise<HttpDeps> | undefined;
let builtFor: string | undefined;
let closePool: (() => Promise<void>) | undefined;
// Calls starting the jobs background function that have not been answered yet.
const starting = new Set<Promise<unknown>>();

// One pool per function instance, reused across warm invocations. Locally,
// @netlify/dev runs each request in a fresh worker thread: allowExitOnIdle
// lets that worker end once its connections are idle.
async function build(): Promise<HttpDeps> {
  const config = loadConfig({ env: process.env, cwd: process.cwd() });
  if (!config.databaseUrl) {
    throw new AppError(
      'configuration_error',
      'DATABASE_URL (or NETLIFY_DB_URL) is not set; run the API through `schemagate serve`, which sets it',
    );
  }
  // A deployed function cannot write local review's files: refuse to start rather than strand proposals.
  await assertLocalReviewWritable(config.review);
  const inProcess = process.env.SCHEMAGATE_PREVIEW_WORKER === 'in-process';
  const jobsSecret = config.jobsSecret;
  if (!inProcess && !jobsSecret) {
    throw new AppError(
      'configuration_error',
      'SCHEMAGATE_JOBS_SECRET is not set: the API starts the jobs background function with it (see docs/deploy-netlify.md)',
    );
  }
  const database = openDatabase(config.databaseUrl, { max: 5, allowExitOnIdle: true });
  const { db } = database;
  closePool = database.close;
  const log = (message: string, error?: unknown) => console.error(`schemagate: ${message}`, error ?? '');
  // `schemagate serve` runs previews in its own process (@netlify/dev drops the
  // function's included_files, so the parser's WebAssembly is missing there).
  const github = githubProvider(config, (message) => log(message));
  // In-process, the worker listens on the control plane: the transaction that queues work wakes it (and
  // those of other serve processes) as it commits. Deployed, the background function has to be started.
  const kickJobs = inProcess
    ? undefined
    : (origin: string) => {
        const started: Promise<unknown> = startBackgroundJobs(origin, jobsSecret!, log).finally(() =>
          starting.delete(started),
        );
        starting.add(started);
      };
  return { db, config, now: () => new Date(), log, ...(github ? { github } : {}), ...(kickJobs ? { kickJobs } : {}) };
}

/**
 * The whole body of a Netlify function: configuration from the environment,
 * then the shared router.
 *
 * @example
 * export default (request: Request, context: Context) => serveApi(request, context);
 */
export async function serveApi(
  request: Request,
  context?: { waitUntil?: (promise: Promise<unknown>) => void },
): Promise<Response> {
  // A local server may restart on another database within one process.
  const url = process.env.DATABASE_URL ?? process.env.NETLIFY_DB_URL;
  if (!deps || builtFor !== url) {
    builtFor = url;
    deps = build();
  }
  try {
    const response = await handleApi(request, await deps);
    // A function's instance may be frozen once it has answered: it stays up
    // (waitUntil) until Netlify has accepted the start of the background function.
    if (starting.size > 0) {
      const pending = Promise.allSettled([...starting]);
      if (context?.waitUntil) context.waitUntil(pending);
      else await pending;
    }
    return response;
  } catch (error) {
    deps = undefined;
    return errorResponse(error, (message, e) => console.error(`schemagate: ${message}`, e));
  }
}

/**
 * Ends the pool the functions opened, so a local server that stops leaves no
 * connection behind (on Netlify the instance simply goes away).
 *
 * @example
 * await closeApi();
 */
export async function closeApi(): Promise<void> {
  const close = closePool;
  deps = undefined;
  builtFor = undefined;
  closePool = undefined;
  await close?.();
}
