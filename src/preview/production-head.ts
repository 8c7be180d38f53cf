import { createHash } from 'node:crypto';
import type pg from 'pg';
import { introspectSchema } from '../schema/introspect.ts';

export interface ProductionHead {
  /** sha256 over the ledger names and the schema: changes when either does. */
  head: string;
  /** Names in `netlify.migrations`, in name order; empty when there is no ledger. */
  ledger: string[];
}

/**
 * Production's migration head. The schema is part of it so that a change
 * made outside the ledger (a hotfix by hand) also refreshes the base.
 *
 * @example
 * const { head } = await readProductionHead(productionClient);
 */
export async function readProductionHead(client: pg.ClientBase): Promise<ProductionHead> {
  const { rows } = await client.query<{ exists: boolean }>(
    `select to_regclass('netlify.migrations') is not null as exists`,
  );
  const ledger = rows[0]!.exists
    ? (await client.query<{ name: string }>('select name from netlify.migrations order by name')).rows.map(
        (r) => r.name,
      )
    : [];
  const schema = await introspectSchema(client);
  const head = createHash('sha256').update(JSON.stringify({ ledger, schema })).digest('hex');
  return { head, ledger };
}
