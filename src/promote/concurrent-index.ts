import { loadModule, parseSync } from 'libpg-query';
import type pg from 'pg';
import { quoteIdent } from '../database/server-admin.ts';

/** The index a `CREATE INDEX CONCURRENTLY` statement builds, as written. */
export interface IndexTarget {
  /** The index lives in its table's schema; undefined means the search_path decides. */
  schema: string | undefined;
  name: string;
}

let loaded: Promise<void> | undefined;

/**
 * The named index of a `CREATE INDEX CONCURRENTLY` statement, or undefined
 * for any other statement (or an index whose name Postgres would choose).
 *
 * @example
 * await concurrentIndexTarget('create index concurrently orders_total on shop.orders (total)'); // { schema: 'shop', name: 'orders_total' }
 */
export async function concurrentIndexTarget(statement: string): Promise<IndexTarget | undefined> {
  loaded ??= loadModule();
  await loaded;
  const parsed = parseSync(statement) as {
    stmts?: Array<{
      stmt?: { IndexStmt?: { idxname?: string; concurrent?: boolean; relation?: { schemaname?: string } } };
    }>;
  };
  const index = parsed.stmts?.[0]?.stmt?.IndexStmt;
  if (!index?.concurrent || !index.idxname) return undefined;
  return { schema: index.relation?.schemaname, name: index.idxname };
}

/**
 * Whether the index exists, and if so whether it is valid. A failed or
 * cancelled `CREATE INDEX CONCURRENTLY` (lock timeout, crash) leaves an
 * INVALID index behind: it costs writes, serves no reads, and makes a retry
 * fail with "already exists".
 *
 * @example
 * await indexState(client, { schema: undefined, name: 'orders_total' }); // 'missing' | 'valid' | 'invalid'
 */
export async function indexState(client: pg.ClientBase, target: IndexTarget): Promise<'missing' | 'valid' | 'invalid'> {
  const { rows } = await client.query<{ indisvalid: boolean }>(
    `select i.indisvalid from pg_catalog.pg_index i where i.indexrelid = pg_catalog.to_regclass($1)`,
    [qualified(target)],
  );
  const row = rows[0];
  return !row ? 'missing' : row.indisvalid ? 'valid' : 'invalid';
}

/**
 * Drops the index left INVALID by a failed concurrent build, without blocking
 * writes to its table (hence CONCURRENTLY, outside any transaction).
 *
 * @example
 * if ((await indexState(client, target)) === 'invalid') await dropInvalidIndex(client, target);
 */
export async function dropInvalidIndex(client: pg.ClientBase, target: IndexTarget): Promise<void> {
  await client.query(`drop index concurrently if exists ${qualified(target)}`);
}

function qualified(target: IndexTarget): string {
  return target.schema ? `${quoteIdent(target.schema)}.${quoteIdent(target.name)}` : quoteIdent(target.name);
}
