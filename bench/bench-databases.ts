import { randomBytes } from 'node:crypto';
import { dropDatabase, quoteIdent, withClient } from '../src/database/server-admin.ts';

/** The Postgres server the benches create their databases on. */
export const benchServerUrl =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A run's scratch databases on the bench server, named `sg_bench_<run>_<suffix>`
 * so that runs side by side never meet, and all dropped by `dropAll`.
 *
 * @example
 * const databases = scratchDatabases();
 * try { const production = await databases.create('production'); ... } finally { await databases.dropAll(); }
 */
export function scratchDatabases() {
  const run = randomBytes(3).toString('hex');
  const created: string[] = [];
  /** The name of a database the bench creates itself, to drop at the end. */
  const track = (suffix: string) => {
    const name = `sg_bench_${run}_${suffix}`;
    created.push(name);
    return name;
  };
  return {
    track,
    /** An empty database (from template0). */
    async create(suffix: string): Promise<string> {
      const name = track(suffix);
      await withClient(benchServerUrl, (admin) =>
        admin.query(`create database ${quoteIdent(name)} template template0`),
      );
      return name;
    },
    dropAll: () =>
      withClient(benchServerUrl, async (admin) => {
        for (const name of created) await dropDatabase(admin, name);
      }),
  };
}
