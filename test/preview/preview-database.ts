import pg from 'pg';
import { inject } from 'vitest';
import {
  ensurePreviewRole,
  previewRole,
  transferOwnership,
  type RoleCredentials,
} from '../../src/preview/preview-role.ts';
import { databaseUrl, withClient } from '../../src/database/server-admin.ts';
import { createScratchDatabase, type TestDatabase } from '../support/database.ts';

export interface PreviewDatabase {
  database: TestDatabase;
  /** Admin rights. */
  url: string;
  runner: RoleCredentials;
  /** Connects as the preview role. */
  runnerUrl: string;
}

/** A scratch database set up by `setupSql` (as admin) and then handed to the preview role, as a branch would be. */
export async function previewDatabase(setupSql = ''): Promise<PreviewDatabase> {
  const database = await createScratchDatabase();
  const adminUrl = inject('adminUrl');
  const runner = await withClient(adminUrl, async (admin) => {
    const credentials = await ensurePreviewRole(admin, adminUrl);
    await admin.query(`alter database ${pg.escapeIdentifier(database.name)} owner to ${previewRole}`);
    return credentials;
  });
  await withClient(database.url, async (client) => {
    if (setupSql) await client.query(setupSql);
    await transferOwnership(client, previewRole);
  });
  return { database, url: database.url, runner, runnerUrl: databaseUrl(database.url, database.name, runner) };
}

/** How many rows `orders` and `users` hold: a workload check plans their queries and must never run them. */
export const orderAndUserCounts = (url: string) =>
  withClient(
    url,
    async (c) =>
      (
        await c.query<{ orders: number; users: number }>(
          `select (select count(*) from orders)::int as orders, (select count(*) from users)::int as users`,
        )
      ).rows[0],
  );

export const timeouts = { lockTimeoutMs: 1000, statementTimeoutMs: 10_000 };
