import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { advisoryLock, advisoryUnlock } from './advisory-locks.ts';

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

// Two instances starting at once must not apply the same migration twice.
const migrationLock = 'control_plane_migrations';

/**
 * Applies the control-plane migrations in `migrations/` under an advisory
 * lock, so concurrent start-ups wait for each other instead of racing.
 *
 * @example
 * await migrateControlPlane(process.env.DATABASE_URL!);
 */
export async function migrateControlPlane(url: string): Promise<{ applied: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await advisoryLock(client, migrationLock);
    const before = await appliedCount(client);
    await migrate(drizzle(client), { migrationsFolder, migrationsSchema: 'schemagate_migrations' });
    return { applied: (await appliedCount(client)) - before };
  } finally {
    await advisoryUnlock(client, migrationLock).catch(() => {});
    await client.end();
  }
}

async function appliedCount(client: pg.Client): Promise<number> {
  const exists = await client.query(`select to_regclass('schemagate_migrations.__drizzle_migrations') as t`);
  if (exists.rows[0]?.t === null) return 0;
  const { rows } = await client.query<{ n: number }>(
    'select count(*)::int as n from schemagate_migrations.__drizzle_migrations',
  );
  return rows[0]?.n ?? 0;
}
