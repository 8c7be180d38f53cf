import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from '../../db/schema.ts';

export type Db = NodePgDatabase<typeof schema>;
/**
 * A transaction handle. The caller owns the transaction: the entry point of
 * an operation (an HTTP route, a CLI command, a job's step) opens it with
 * `db.transaction` and passes `tx` down; a service called by another service
 * takes that `Tx` and never opens a transaction of its own, so everything the
 * operation changes, its audit events included, commits or rolls back
 * together. A service that only reads accepts `DbOrTx`; one whose writes
 * must land together takes `Tx`, so it cannot be handed the pool by mistake.
 *
 * @example
 * await db.transaction((tx) => reviewLocally(tx, policy, { proposalId, reviewer: 'dana', state: 'APPROVED' }));
 */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

/**
 * Opens a pool on the control-plane database.
 *
 * @example
 * const { db, close } = openDatabase(process.env.DATABASE_URL!);
 */
export function openDatabase(url: string, options: { max?: number; allowExitOnIdle?: boolean } = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    allowExitOnIdle: options.allowExitOnIdle ?? false,
  });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => {});
  const db = drizzle(pool, { schema });
  return { db, pool, close: () => pool.end() };
}
