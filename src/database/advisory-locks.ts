import pg from 'pg';

// Every schemagate advisory lock is keyed by hashtext('schemagate.<name>'), computed by
// Postgres: the promotion and production-ledger locks had exactly these keys before this
// module, so an older version still running during an upgrade conflicts with a newer one.
// The control plane's migration lock keeps the number it always had, for the same reason.
// Advisory locks are scoped to the current database: the same name on two databases never meets.
const establishedKeys: ReadonlyMap<string, string> = new Map([['control_plane_migrations', '7301274101']]);
const key = (name: string) => establishedKeys.get(name) ?? `hashtext(${pg.escapeLiteral(`schemagate.${name}`)})`;

/**
 * Takes the session-level lock `name`, waiting as long as it takes. It lasts
 * until `advisoryUnlock` or the end of the session, across transactions.
 *
 * @example
 * await advisoryLock(client, 'control_plane_migrations');
 */
export async function advisoryLock(client: pg.ClientBase, name: string): Promise<void> {
  await client.query(`select pg_advisory_lock(${key(name)})`);
}

/**
 * Takes the session-level lock `name` if it is free; never waits.
 *
 * @example
 * if (await tryAdvisoryLock(client, 'promotion')) { ... }
 */
export async function tryAdvisoryLock(client: pg.ClientBase, name: string): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>(`select pg_try_advisory_lock(${key(name)}) as locked`);
  return rows[0]?.locked === true;
}

/** Releases the session-level lock `name` taken on the same session. */
export async function advisoryUnlock(client: pg.ClientBase, name: string): Promise<void> {
  await client.query(`select pg_advisory_unlock(${key(name)})`);
}

/**
 * Session-level lock `name` around `fn`: CREATE DATABASE cannot run in a
 * transaction block, so transaction-level locks cannot cover it.
 *
 * @example
 * await withAdvisoryLock(admin, 'branches:abc', () => createBranch());
 */
export async function withAdvisoryLock<T>(client: pg.ClientBase, name: string, fn: () => Promise<T>): Promise<T> {
  await advisoryLock(client, name);
  try {
    return await fn();
  } finally {
    await advisoryUnlock(client, name);
  }
}

/**
 * The statement that takes the transaction-level lock `name` (released at
 * commit or rollback), as text: to open a multi-statement script, or for a
 * drizzle transaction (`tx.execute(...)`).
 *
 * @example
 * await client.query(`${advisoryXactLockSql('production_ledger')}; create schema if not exists netlify;`);
 */
export const advisoryXactLockSql = (name: string) => `select pg_advisory_xact_lock(${key(name)})`;
