import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { diffSchemas } from '../schema/diff.ts';
import { introspectSchema } from '../schema/introspect.ts';
import type { SchemaModel } from '../schema/model.ts';
import type { BaseMode } from './base-copy.ts';
import { PreviewError } from '../errors.ts';
import { readSamplePlan, repairOrphans, sampleQuery, type SamplePlan, type SampledTable } from './sample-plan.ts';
import { inheritedByPartitions, schemaScript, type ScriptStatement } from './schema-script.ts';
import { withClient } from '../database/server-admin.ts';

// pg_dump copies everything; so does this copy, ledgers included (only system schemas are left out).
const everySchema = { excludeSchemas: [] };

export interface InProcessCopyOptions {
  productionUrl: string;
  /** The empty base database, admin rights. */
  baseUrl: string;
  mode: BaseMode;
  sampleRows: number;
  /** Ledgers copied whole in every mode. */
  copiedInFull: ReadonlySet<string>;
}

/**
 * Fills an empty database with a copy of production without pg_dump or psql
 * (a Netlify function has neither): the schema is read from production's
 * catalog (introspectSchema) and created from that model (schemaScript); the
 * rows, all of them or a foreign-key-consistent sample, stream from
 * `COPY (...) TO STDOUT` into `COPY ... FROM STDIN` (pg-copy-streams), all
 * read in one repeatable-read transaction, so every table sees one moment.
 *
 * Fails closed: objects the model cannot reproduce (composite and range
 * types, inheritance, rules, foreign tables, aggregates, operators...) stop
 * it with `base_copy_unsupported` before anything is built, and the finished
 * copy's schema is compared with production's, so a copy that differs is
 * `base_copy_failed`, never a silently different preview.
 *
 * @example
 * await copyInProcess({ productionUrl, baseUrl, mode: 'sample', sampleRows: 1000, copiedInFull: new Set(['netlify.migrations']) });
 */
export async function copyInProcess(options: InProcessCopyOptions): Promise<void> {
  await withClient(options.productionUrl, async (production) => {
    await production.query('begin isolation level repeatable read read only');
    try {
      const unsupported = await unsupportedObjects(production);
      if (unsupported.length > 0) {
        throw new PreviewError(
          'base_copy_unsupported',
          `production has objects the in-process copy cannot reproduce: ${unsupported.slice(0, 10).join(', ')}${unsupported.length > 10 ? ', ...' : ''}; ` +
            'copy with pg_dump instead (preview.copyMethod "pg_dump", with PostgreSQL client tools on the PATH) or put previews on production\'s server',
          { unsupported },
        );
      }
      const model = await introspectSchema(production, everySchema);
      const { preData, postData } = schemaScript(model, { extensionSchemas: await extensionSchemas(production) });
      const plan = await readSamplePlan(production);
      const sequences = await production.query<{ name: string; value: string }>(
        `select format('%I.%I', schemaname, sequencename) as name, last_value::text as value from pg_sequences where last_value is not null`,
      );
      await withClient(options.baseUrl, async (base) => {
        await base.query('begin');
        try {
          // The model's DDL is qualified as read under this search_path; routine bodies are checked when they run.
          await base.query(`set local search_path = pg_catalog, pg_temp; set local check_function_bodies = off`);
          await runScript(base, preData, model);
          for (const table of plan.tables) {
            const query = tableQuery(plan, table, options);
            if (query) await copyTable(production, base, query, table);
          }
          await base.query(
            `select setval(to_regclass(n), v::bigint) from unnest($1::text[], $2::text[]) as x(n, v) where to_regclass(n) is not null`,
            [sequences.rows.map((s) => s.name), sequences.rows.map((s) => s.value)],
          );
          if (options.mode === 'sample') await repairOrphans(base, plan);
          await runScript(base, postData, model);
          await base.query('commit');
        } catch (error) {
          await base.query('rollback').catch(() => {});
          throw error;
        }
        await assertSameSchema(model, await introspectSchema(base, everySchema));
      });
      await production.query('commit');
    } catch (error) {
      await production.query('rollback').catch(() => {});
      throw error;
    }
  });
}

/**
 * Runs each statement under a savepoint. One that fails (a routine whose
 * signature names a table type, a view over a later view) is retried once
 * the others ran, until a round makes no progress; what still fails is
 * `base_copy_failed` with each statement's error. A constraint, index or
 * trigger of a partition fails when the partition already got it from its
 * parent: it counts as created, and the comparison with production checks it.
 */
async function runScript(base: pg.ClientBase, statements: ScriptStatement[], model: SchemaModel): Promise<void> {
  let pending = statements;
  while (pending.length > 0) {
    const failed: Array<ScriptStatement & { error: string }> = [];
    for (const statement of pending) {
      await base.query('savepoint sg_statement');
      try {
        await base.query(statement.sql);
        await base.query('release savepoint sg_statement');
      } catch (error) {
        await base.query('rollback to savepoint sg_statement');
        // The partition got it from its parent (under the same name, or the final comparison says otherwise).
        if (!inheritedByPartitions(model, statement.id)) failed.push({ ...statement, error: (error as Error).message });
      }
    }
    if (failed.length === pending.length) {
      throw new PreviewError(
        'base_copy_failed',
        `the in-process copy could not create ${failed.length} object(s): ${failed
          .slice(0, 5)
          .map((f) => `${f.id} (${f.error})`)
          .join('; ')}`,
        { failed: failed.map(({ id, sql, error }) => ({ id, sql, error })) },
      );
    }
    pending = failed;
  }
}

/** The rows a table's copy holds: all, a sample, or (schema mode) none, except the ledgers. */
function tableQuery(plan: SamplePlan, table: SampledTable, options: InProcessCopyOptions): string | undefined {
  const whole = `select ${table.columns.join(', ')} from ${table.partitioned ? '' : 'only '}${table.name}`;
  if (options.copiedInFull.has(table.name)) return whole;
  if (options.mode === 'full') return whole;
  if (options.mode === 'sample') return sampleQuery(plan, table, options.sampleRows, options.copiedInFull);
  return undefined;
}

async function copyTable(
  production: pg.ClientBase,
  base: pg.ClientBase,
  query: string,
  table: SampledTable,
): Promise<void> {
  if (table.columns.length === 0) return;
  try {
    await pipeline(
      production.query(copyTo(`copy (${query}) to stdout`)),
      base.query(copyFrom(`copy ${table.name} (${table.columns.join(', ')}) from stdin`)),
    );
  } catch (error) {
    throw new PreviewError('base_copy_failed', `copying the rows of ${table.name} failed: ${(error as Error).message}`);
  }
}

async function assertSameSchema(production: SchemaModel, copy: SchemaModel): Promise<void> {
  const { changes } = diffSchemas(production, copy);
  if (changes.length === 0) return;
  throw new PreviewError(
    'base_copy_failed',
    `the in-process copy differs from production in ${changes.length} object(s): ${changes
      .slice(0, 5)
      .map((c) => `${c.id} ${c.kind}${c.details ? ` (${c.details.join('; ')})` : ''}`)
      .join(', ')}`,
    { changes: changes.map((c) => ({ id: c.id, kind: c.kind, details: c.details ?? [] })) },
  );
}

async function extensionSchemas(client: pg.ClientBase): Promise<Map<string, string>> {
  const { rows } = await client.query<{ name: string; schema: string }>(
    `select x.extname as name, quote_ident(n.nspname) as schema from pg_extension x join pg_namespace n on n.oid = x.extnamespace`,
  );
  return new Map(rows.map((r) => [r.name, r.schema]));
}

/**
 * What the schema model does not describe, so a copy built from it would
 * lack it: listed by kind and name. Objects of extensions are the
 * extension's (CREATE EXTENSION recreates them) and do not count.
 */
async function unsupportedObjects(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ object: string }>(unsupportedQuery);
  return rows.map((r) => r.object);
}

const userSchema = (ns: string) =>
  `${ns}.nspname not in ('pg_catalog', 'information_schema') and ${ns}.nspname not like 'pg\\_toast%' and ${ns}.nspname not like 'pg\\_temp%'`;
const notExtension = (catalog: string, oid: string) =>
  `not exists (select from pg_depend d where d.classid = '${catalog}'::regclass and d.objid = ${oid} and d.deptype = 'e')`;

const unsupportedQuery = `
select 'composite type ' || format('%I.%I', n.nspname, t.typname) as object
  from pg_type t join pg_namespace n on n.oid = t.typnamespace join pg_class c on c.oid = t.typrelid
 where t.typtype = 'c' and c.relkind = 'c' and ${userSchema('n')} and ${notExtension('pg_type', 't.oid')}
union all
select 'range type ' || format('%I.%I', n.nspname, t.typname)
  from pg_type t join pg_namespace n on n.oid = t.typnamespace
 where t.typtype = 'r' and ${userSchema('n')} and ${notExtension('pg_type', 't.oid')}
union all
select 'inheritance ' || format('%I.%I', n.nspname, c.relname)
  from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_namespace n on n.oid = c.relnamespace
 where not c.relispartition and c.relkind in ('r', 'p') and ${userSchema('n')}
union all
select 'rule ' || format('%I.%I', n.nspname, c.relname) || '.' || quote_ident(r.rulename)
  from pg_rewrite r join pg_class c on c.oid = r.ev_class join pg_namespace n on n.oid = c.relnamespace
 where r.rulename <> '_RETURN' and ${userSchema('n')} and ${notExtension('pg_class', 'c.oid')}
union all
select 'foreign table ' || format('%I.%I', n.nspname, c.relname)
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
 where c.relkind = 'f' and ${userSchema('n')} and ${notExtension('pg_class', 'c.oid')}
union all
select 'aggregate ' || format('%I.%I', n.nspname, p.proname)
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
 where p.prokind = 'a' and ${userSchema('n')} and ${notExtension('pg_proc', 'p.oid')}
union all
select 'operator ' || format('%I.', n.nspname) || o.oprname
  from pg_operator o join pg_namespace n on n.oid = o.oprnamespace
 where ${userSchema('n')} and ${notExtension('pg_operator', 'o.oid')}
union all
select 'collation ' || format('%I.%I', n.nspname, c.collname)
  from pg_collation c join pg_namespace n on n.oid = c.collnamespace
 where ${userSchema('n')} and ${notExtension('pg_collation', 'c.oid')}
union all
select 'text search configuration ' || format('%I.%I', n.nspname, c.cfgname)
  from pg_ts_config c join pg_namespace n on n.oid = c.cfgnamespace
 where ${userSchema('n')} and ${notExtension('pg_ts_config', 'c.oid')}
union all
select 'statistics object ' || format('%I.%I', n.nspname, s.stxname)
  from pg_statistic_ext s join pg_namespace n on n.oid = s.stxnamespace
 where ${userSchema('n')}
union all
select 'event trigger ' || quote_ident(e.evtname) from pg_event_trigger e where ${notExtension('pg_event_trigger', 'e.oid')}
order by 1`;
