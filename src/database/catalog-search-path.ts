import type pg from 'pg';

/**
 * pg_catalog first, and pg_temp named last: unnamed, pg_temp is searched
 * before everything for relations, so SQL that ran on the session earlier
 * (a migration's `CREATE TEMP TABLE pg_class`) could stand in for the catalog.
 */
export const catalogSearchPath = 'pg_catalog, pg_temp';

/**
 * Runs catalog reads on a session that also ran someone else's SQL (the
 * migration's own session, mid-transaction): the search_path is pinned to
 * the catalog for `read`, then the session's own is put back, so the
 * migration's later statements resolve names as they would have.
 *
 * @example
 * const locks = await withCatalogSearchPath(session, () => relationLocks(session, pid));
 */
export async function withCatalogSearchPath<T>(client: pg.ClientBase, read: () => Promise<T>): Promise<T> {
  const { rows } = await client.query<{ path: string }>(
    `select pg_catalog.current_setting('search_path') as path, pg_catalog.set_config('search_path', '${catalogSearchPath}', false)`,
  );
  const restore = () =>
    client.query(`select pg_catalog.set_config('search_path', $1, false)`, [rows[0]?.path ?? '"$user", public']);
  let result: T;
  try {
    result = await read();
  } catch (error) {
    // In an aborted transaction the restore fails too, and the caller's
    // rollback undoes the set_config anyway: report the first error.
    await restore().catch(() => {});
    throw error;
  }
  await restore();
  return result;
}
