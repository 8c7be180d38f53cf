import { loadConfig } from '../config.ts';
import { openDatabase } from '../database/connection.ts';
import { branchProvider, drainPreviews, previewWorkerDeps } from './runtime.ts';

// Netlify stops a background function after 15 minutes; leave room to finish the last run.
const backgroundBudgetMs = 13 * 60_000;

const log = (message: string) => console.error(`schemagate: ${message}`);

/**
 * The body of the preview background function: run queued previews until
 * none is left or the time budget is spent.
 *
 * @example
 * export default async () => { await runPreviewQueue(); };
 */
export async function runPreviewQueue(options: { sweep?: boolean } = {}): Promise<{ previews: number; dropped: string[] }> {
  const config = loadConfig({ env: process.env, cwd: process.cwd() });
  const url = config.databaseUrl;
  if (!url) throw new Error('DATABASE_URL (or NETLIFY_DB_URL) is not set');
  const database = openDatabase(url, { max: 2, allowExitOnIdle: true });
  const provider = branchProvider(config);
  try {
    const dropped = options.sweep && provider ? await provider.dropExpired() : [];
    const previews = await drainPreviews(previewWorkerDeps(config, database.db, log, provider), {
      maxRuns: 50,
      deadline: Date.now() + backgroundBudgetMs,
    });
    return { previews, dropped };
  } finally {
    await database.close();
  }
}
