import { readNetlifyLedger } from '../database/netlify-ledger.ts';
import { AppError, PreviewError } from '../errors.ts';
import { redact, withClient } from '../database/server-admin.ts';

export interface ProductionLedger {
  /** Names in Netlify's `netlify.migrations`; empty when production has no ledger yet. */
  applied: Set<string>;
  /** sha256 (hex) by name from `schemagate.ledger`; undefined when that table does not exist. */
  sha256?: Map<string, string>;
}

/**
 * What production says it has applied, read in one read-only transaction.
 * Throws AppError `unavailable` when production cannot be reached.
 *
 * @example
 * const ledger = await readProductionLedger(process.env.PRODUCTION_DATABASE_URL!);
 * ledger.applied.has('0001_init'); // true
 */
export async function readProductionLedger(url: string): Promise<ProductionLedger> {
  try {
    return await withClient(url, async (client) => {
      await client.query('begin isolation level repeatable read read only');
      const applied = new Set((await readNetlifyLedger(client)) ?? []);
      const { rows } = await client.query<{ schemagate: boolean }>(
        `select to_regclass('schemagate.ledger') is not null as schemagate`,
      );
      if (!rows[0]?.schemagate) return { applied };
      const ledger = await client.query<{ name: string; sha256: string }>(
        'select name, sha256::text as sha256 from schemagate.ledger',
      );
      // Kept as hex text or as bytea (whose text form is `\x` + hex): compare plain lower-case hex.
      return { applied, sha256: new Map(ledger.rows.map((r) => [r.name, r.sha256.replace(/^\\x/, '').toLowerCase()])) };
    });
  } catch (error) {
    if (error instanceof PreviewError) throw new AppError('unavailable', `production database: ${error.message}`);
    if (error instanceof Error && 'code' in error) {
      throw new AppError('unavailable', `reading the ledgers of ${redact(url)} failed: ${error.message}`);
    }
    throw error;
  }
}
