import { loadConfig } from '../config.ts';
import { openDatabase } from '../database/connection.ts';
import { assertProductionRole } from '../promote/production-startup.ts';
import { githubProvider } from '../review/github-setup.ts';
import { branchProvider, drainJobs, previewWorkerDeps, promotionWorkerDeps, sweepOnce } from './runtime.ts';

// Netlify stops a background function after 15 minutes; leave room to finish the last run.
const backgroundBudgetMs = 13 * 60_000;

const log = (message: string) => console.error(`schemagate: ${message}`);

/**
 * The body of the jobs background function and of the sweeper: run queued
 * previews and promotions (and claims whose worker died) until none is left
 * or the time budget is spent.
 *
 * @example
 * export default async () => { await runJobs(); };
 */
export async function runJobs(options: { sweep?: boolean } = {}): Promise<{ previews: number; promotions: number; dropped: string[] }> {
  const config = loadConfig({ env: process.env, cwd: process.cwd() });
  const url = config.databaseUrl;
  if (!url) throw new Error('DATABASE_URL (or NETLIFY_DB_URL) is not set');
  await assertProductionRole(config, log);
  const database = openDatabase(url, { max: 2, allowExitOnIdle: true });
  const provider = branchProvider(config);
  const github = githubProvider(config, log);
  try {
    const { dropped } = options.sweep ? await sweepOnce(config, database.db, provider) : { dropped: [] };
    const done = await drainJobs(
      config,
      { previews: previewWorkerDeps(config, database.db, log, provider, github), promotions: promotionWorkerDeps(config, database.db, log, github), github },
      { maxRuns: 50, deadline: Date.now() + backgroundBudgetMs },
    );
    return { ...done, dropped };
  } finally {
    await database.close();
  }
}
