import { loadConfig, type Config } from '../config.ts';
import { openDatabase, type Db } from '../database/connection.ts';
import { openControlPlane } from '../database/control-plane.ts';
import type { CliIO } from './io.ts';

/**
 * The migrated control plane for one operator command (DATABASE_URL, or the
 * embedded Postgres, reused when `serve` runs it), released afterwards.
 *
 * @example
 * await withDb(io, (db, config) => listAgents(db));
 */
export async function withDb<T>(io: CliIO, work: (db: Db, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig({ env: io.env, cwd: io.cwd });
  const plane = await openControlPlane(config, { log: (line) => io.stderr(`${line}\n`) });
  const database = openDatabase(plane.url, { max: 2 });
  try {
    return await work(database.db, config);
  } finally {
    await database.close();
    await plane.release();
  }
}
