import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { migrateControlPlane } from '../database/migrate.ts';
import { AppError } from '../errors.ts';
import { dashboardRoute } from '../http/routes/dashboard.ts';

/**
 * What a Netlify build does: writes the review dashboard, exactly as the
 * dashboard function serves it, with its headers in Netlify's `_headers`
 * file, into an emptied publish directory (so nothing else of the
 * repository is published), then applies the control-plane migrations to
 * DATABASE_URL (or NETLIFY_DB_URL) under their advisory lock. A build
 * without a database fails: a deployed function never starts an embedded
 * Postgres, and functions must not run against an unmigrated control plane.
 *
 * @example
 * await buildNetlifySite({ env: process.env, cwd: process.cwd(), publishDir: 'public', log: console.log });
 */
export async function buildNetlifySite(options: {
  env: NodeJS.ProcessEnv;
  cwd: string;
  publishDir: string;
  log: (line: string) => void;
}): Promise<{ files: string[]; applied: number }> {
  const config = loadConfig({ env: options.env, cwd: options.cwd });
  if (!config.databaseUrl) {
    throw new AppError(
      'configuration_error',
      'DATABASE_URL (or NETLIFY_DB_URL) is not set for the build: the control plane is migrated at build time (see docs/deploy-netlify.md)',
    );
  }
  const dir = path.resolve(options.cwd, options.publishDir);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const page = await dashboardRoute();
  const headers = [...page.headers].map(([name, value]) => `  ${name}: ${value}`).join('\n');
  await writeFile(path.join(dir, 'index.html'), await page.text());
  await writeFile(path.join(dir, '_headers'), `/\n${headers}\n/index.html\n${headers}\n`);
  const { applied } = await migrateControlPlane(config.databaseUrl);
  options.log(`schemagate: control plane migrated (${applied} applied)`);
  return { files: ['index.html', '_headers'], applied };
}
