import type pg from 'pg';

/**
 * The migration names Netlify's ledger (`netlify.migrations`) lists, in the
 * order they were applied; undefined when the database keeps no such ledger.
 * Every reader of the list goes through here (the promotion's point lookup
 * and its writes live with the promotion).
 *
 * @example
 * const applied = (await readNetlifyLedger(client)) ?? [];
 */
export async function readNetlifyLedger(client: pg.ClientBase): Promise<string[] | undefined> {
  const { rows } = await client.query<{ exists: boolean }>(
    `select to_regclass('netlify.migrations') is not null as exists`,
  );
  if (!rows[0]?.exists) return undefined;
  const ledger = await client.query<{ name: string }>('select name from netlify.migrations order by applied_at, name');
  return ledger.rows.map((r) => r.name);
}
