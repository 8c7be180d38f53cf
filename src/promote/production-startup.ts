import pg from 'pg';
import type { Config } from '../config.ts';
import { checkRolePrivileges, productionRoleFix, roleRefusal } from '../database/role-privileges.ts';
import { AppError } from '../errors.ts';
import { redact } from '../database/server-admin.ts';

/**
 * The start-up half of the production role check (each promotion checks
 * again): a PRODUCTION_DATABASE_URL whose role could escalate, or does not
 * own the application's schemas, stops `serve` and the jobs worker with
 * `production_role_too_powerful` / `production_role_not_owner`. A production
 * that cannot be reached right now is only logged: promotions report it.
 *
 * @example
 * await assertProductionRole(config, console.error); // throws AppError when refused
 */
export async function assertProductionRole(config: Config, log: (line: string) => void): Promise<void> {
  if (!config.productionUrl) return;
  const client = new pg.Client({ connectionString: config.productionUrl });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    log(
      `production is unreachable at start-up (${redact(config.productionUrl)}: ${(error as Error).message}); each promotion checks its role before applying`,
    );
    return;
  }
  try {
    const refusal = roleRefusal(await checkRolePrivileges(client), 'production', productionRoleFix);
    if (refusal) throw new AppError(refusal.code, `PRODUCTION_DATABASE_URL: ${refusal.message}`, refusal.problems);
  } finally {
    await client.end().catch(() => {});
  }
  if (config.previewServerUrl === config.productionUrl) {
    log(
      'PREVIEW_DATABASE_URL is not set, so previews would be created with the production migrator, which (rightly) cannot create databases: set PREVIEW_DATABASE_URL to an admin URL (CREATEDB, CREATEROLE) of the server previews run on',
    );
  }
}
