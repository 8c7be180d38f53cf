import path from 'node:path';
import type { Config } from '../config.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.ts';
import { migrateControlPlane } from './migrate.ts';

export interface ControlPlane {
  url: string;
  /** Set when no DATABASE_URL was given and schemagate runs its own Postgres. */
  embedded: EmbeddedPostgres | undefined;
  migrations: { applied: number };
  /** Stops the embedded Postgres if this call started it. */
  release(): Promise<void>;
}

/**
 * The control-plane database, migrated: `DATABASE_URL` when configured,
 * otherwise the embedded Postgres under the data directory (started, or
 * reused when another schemagate process already runs it).
 *
 * @example
 * const plane = await openControlPlane(config, { log: console.error });
 * // ... plane.url ...
 * await plane.release();
 */
export async function openControlPlane(
  config: Config,
  options: { log: (line: string) => void },
): Promise<ControlPlane> {
  let embedded: EmbeddedPostgres | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dir: path.join(config.dataDir, 'postgres'), log: options.log });
    url = embedded.url;
  }
  try {
    const migrations = await migrateControlPlane(url);
    if (migrations.applied > 0) options.log(`applied ${migrations.applied} control-plane migration(s)`);
    const release = async () => {
      if (embedded?.started) await embedded.stop();
    };
    return { url, embedded, migrations, release };
  } catch (error) {
    if (embedded?.started) await embedded.stop();
    throw error;
  }
}
