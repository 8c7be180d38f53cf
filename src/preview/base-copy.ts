import { copyInProcess } from './in-process-copy.ts';
import { assertPgDumpCanDump, copyQuery, dumpInto, pgDumpMajor, type ClientTools } from './pg-tools.ts';
import { readSamplePlan, repairOrphans, sampleQuery } from './sample-plan.ts';
import { withClient } from '../database/server-admin.ts';

export type BaseMode = 'schema' | 'sample' | 'full';

export interface BaseCopyOptions {
  productionUrl: string;
  /** The empty base database, admin rights. */
  baseUrl: string;
  mode: BaseMode;
  sampleRows: number;
  tools: ClientTools;
}

/** Ledgers are copied whole in every mode that copies data: a preview must know what production has applied. */
export const copiedInFull: ReadonlySet<string> = new Set(['netlify.migrations']);

/**
 * Fills an empty database with a copy of production: its schema only, all
 * of it, or a foreign-key-consistent sample of each table.
 *
 * With pg_dump, data moves through `pg_dump | psql` and
 * `psql -c 'copy ... to stdout' | psql -c 'copy ... from stdin'`; without it
 * (`tools.copyMethod`), the copy is built in-process (copyInProcess).
 *
 * @example
 * await copyProduction({ productionUrl, baseUrl, mode: 'sample', sampleRows: 1000, tools: {} });
 */
export async function copyProduction(options: BaseCopyOptions): Promise<void> {
  const { productionUrl, baseUrl, tools } = options;
  await withClient(productionUrl, async (production) => {
    const { rows } = await production.query<{ version: number }>(
      `select current_setting('server_version_num')::int as version`,
    );
    if (await copiesInProcess(tools, rows[0]!.version)) {
      return copyInProcess({
        productionUrl,
        baseUrl,
        mode: options.mode,
        sampleRows: options.sampleRows,
        copiedInFull,
      });
    }
    // `auto` already found a pg_dump new enough; an explicit `pg_dump` is checked here.
    if (tools.copyMethod === 'pg_dump') await assertPgDumpCanDump(tools, rows[0]!.version);
    if (options.mode === 'full') return dumpInto(tools, productionUrl, baseUrl, []);
    if (options.mode === 'schema') return dumpInto(tools, productionUrl, baseUrl, ['--schema-only']);

    // One exported snapshot for the dumps and every table's sample: parents and children agree.
    await production.query('begin isolation level repeatable read read only');
    const snapshot = (await production.query<{ id: string }>('select pg_export_snapshot() as id')).rows[0]!.id;
    const plan = await readSamplePlan(production);
    await dumpInto(tools, productionUrl, baseUrl, ['--section=pre-data', `--snapshot=${snapshot}`]);
    for (const table of plan.tables) {
      const query = sampleQuery(plan, table, options.sampleRows, copiedInFull);
      await copyQuery(tools, productionUrl, query, baseUrl, `${table.name} (${table.columns.join(', ')})`, snapshot);
    }
    const { rows: sequences } = await production.query<{ schema: string; name: string; value: string }>(
      `select schemaname as schema, sequencename as name, last_value::text as value from pg_sequences where last_value is not null`,
    );
    await withClient(baseUrl, async (base) => {
      await base.query(
        `select setval(format('%I.%I', s, n)::regclass, v::bigint) from unnest($1::text[], $2::text[], $3::text[]) as x(s, n, v)`,
        [sequences.map((s) => s.schema), sequences.map((s) => s.name), sequences.map((s) => s.value)],
      );
      await repairOrphans(base, plan);
    });
    await dumpInto(tools, productionUrl, baseUrl, ['--section=post-data', `--snapshot=${snapshot}`]);
    await production.query('commit');
  });
}

/** `auto` copies in-process when pg_dump is missing or older than production (it refuses newer servers). */
async function copiesInProcess(tools: ClientTools, serverVersionNum: number): Promise<boolean> {
  const method = tools.copyMethod ?? 'auto';
  if (method !== 'auto') return method === 'in-process';
  const major = await pgDumpMajor(tools);
  return major === null || major < Math.floor(serverVersionNum / 10000);
}
