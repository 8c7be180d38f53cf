import type pg from 'pg';
import { copiedInFull, type BaseMode } from './base-copy.ts';
import { readSamplePlan, repairOrphans, sampleQuery } from './sample-plan.ts';
import { cloneDatabase, quoteIdent, withClient } from '../database/server-admin.ts';

/**
 * Builds the base as `CREATE DATABASE base TEMPLATE production` when both
 * live on one server (the embedded default): no client tools, no version
 * match needed, a consistent copy. Then trims it to the mode: `schema`
 * empties the tables, `sample` keeps the foreign-key-consistent sample.
 * Returns false when production has other sessions (Postgres refuses to use
 * a database with sessions as a template), so the caller can dump instead.
 *
 * @example
 * if (!(await copyByTemplate(admin, { production: 'app', base: 'sg_base_x', baseUrl, mode: 'sample', sampleRows: 1000 }))) ...
 */
export async function copyByTemplate(
  admin: pg.ClientBase,
  options: { production: string; base: string; baseUrl: string; mode: BaseMode; sampleRows: number },
): Promise<boolean> {
  // CREATE DATABASE would wait five seconds for those sessions before giving up.
  const { rows } = await admin.query('select count(*)::int as n from pg_stat_activity where datname = $1', [
    options.production,
  ]);
  if (rows[0]?.n !== 0) return false;
  try {
    await cloneDatabase(admin, options.base, { template: options.production });
  } catch (error) {
    if ((error as { code?: string }).code === '55006') return false;
    throw error;
  }
  if (options.mode === 'full') return true;
  await withClient(options.baseUrl, async (base) => {
    if (options.mode === 'schema') await emptyTables(base);
    else await keepSample(base, options.sampleRows);
  });
  return true;
}

async function emptyTables(base: pg.ClientBase): Promise<void> {
  const plan = await readSamplePlan(base);
  const tables = plan.tables.map((t) => t.name).filter((name) => !copiedInFull.has(name));
  // One TRUNCATE of every table at once satisfies the foreign keys between them.
  if (tables.length > 0) await base.query(`truncate ${tables.join(', ')}`);
}

/**
 * Replaces each table's rows by its sample, computed on the full copy with
 * the same queries the dump path uses. Foreign-key triggers are off while
 * rows are swapped (session_replication_role = replica); the orphan repairs
 * afterwards restore consistency for cyclic references.
 */
async function keepSample(base: pg.ClientBase, sampleRows: number): Promise<void> {
  const plan = await readSamplePlan(base);
  const trimmed = plan.tables.filter((t) => !copiedInFull.has(t.name));
  await base.query('begin');
  try {
    await base.query('set local session_replication_role = replica');
    for (const [i, table] of trimmed.entries()) {
      await base.query(
        `create temp table ${keep(i)} on commit drop as ${sampleQuery(plan, table, sampleRows, copiedInFull)}`,
      );
    }
    for (const [i, table] of trimmed.entries()) {
      await base.query(`delete from ${table.partitioned ? '' : 'only '}${table.name}`);
      await base.query(
        `insert into ${table.name} (${table.columns.join(', ')}) overriding system value select * from ${keep(i)}`,
      );
    }
    await base.query('commit');
  } catch (error) {
    await base.query('rollback').catch(() => {});
    throw error;
  }
  await repairOrphans(base, plan);
}

const keep = (i: number) => quoteIdent(`sg_keep_${i}`);
