import { createHash } from 'node:crypto';
import type pg from 'pg';
import { readNetlifyLedger } from '../database/netlify-ledger.ts';
import { introspectSchema } from '../schema/introspect.ts';
import { compareIds } from '../schema/model.ts';

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
  // In code-point order: the same on every server, whatever its collation.
  const ledger = ((await readNetlifyLedger(client)) ?? []).sort(compareIds);
  const schema = await introspectSchema(client);
  const head = createHash('sha256').update(JSON.stringify({ ledger, schema })).digest('hex');
  return { head, ledger };
}
