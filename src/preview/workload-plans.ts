import pg from 'pg';
import { executeOne, pinTokenization } from '../database/statement-session.ts';
import { agentSafeError } from '../database/agent-safe-error.ts';
import { PreviewError } from '../errors.ts';
import { withClient } from '../database/server-admin.ts';
import { estimatedRowsByName } from './production-sizes.ts';

/** The scans of a plan that matter for a regression, and its estimated total cost. */
export interface PlanSummary {
  totalCost: number;
  scans: Array<{ node: string; relation: string; index?: string }>;
}

export type PlanOutcome =
  | { ok: true; plan: PlanSummary; ms: number }
  | { ok: false; error: { code: string; message: string; detail?: string; hint?: string }; ms: number };

export interface TableColumn {
  name: string;
  /** NOT NULL with no default, not identity, not generated: an INSERT must set it. */
  required: boolean;
}

export interface BranchInspection {
  plans: PlanOutcome[];
  /** Live columns in attnum order, by the table name as the INSERT wrote it; absent when it does not resolve. */
  columns: Map<string, TableColumn[]>;
  /** Estimated rows by relation name (unqualified), for tables the plans scan (estimatedRowsByName). */
  rows: Map<string, number>;
  serverVersion: number;
}

export interface InspectOptions {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
}

/**
 * Plans each query on a branch without running it: `PREPARE`, then
 * `EXPLAIN EXECUTE` with NULL parameters under `plan_cache_mode =
 * force_generic_plan`, so the plan does not depend on the values. (On
 * PostgreSQL 16 and later `EXPLAIN (GENERIC_PLAN)` says the same in one
 * statement, but only over the simple protocol: over the extended protocol
 * the query's `$1` becomes a parameter of the EXPLAIN itself.) Everything
 * runs in one READ ONLY transaction that is rolled back, under the statement
 * and lock timeouts, each query sent alone through the extended protocol (a
 * string holding two commands is refused by Postgres). Refuses a superuser
 * session: this runs as the preview role. Callers screen the queries first
 * (workload-screen.ts). A query that fails is recorded, never thrown.
 *
 * @example
 * const { plans } = await inspectBranch(branch.url, [{ query: 'select * from users where id = $1', params: 1 }], [], { statementTimeoutMs: 5000, lockTimeoutMs: 1000 });
 */
export async function inspectBranch(
  url: string,
  queries: ReadonlyArray<{ query: string; params: number }>,
  insertTables: readonly string[],
  options: InspectOptions,
): Promise<BranchInspection> {
  // The session ends with the last, still open, transaction: nothing is ever committed.
  return withClient(url, async (client) => {
    const who = (
      await client.query<{ super: boolean; version: number }>(
        `select rolsuper as super, current_setting('server_version_num')::int as version from pg_roles where rolname = current_user`,
      )
    ).rows[0];
    if (!who || who.super)
      throw new PreviewError(
        'preview_role_too_powerful',
        'the workload check runs as the preview role, never as a superuser',
      );
    await pinTokenization(client);
    const begin = async () =>
      client.query(
        `begin read only; set local statement_timeout = ${Math.round(options.statementTimeoutMs)}; set local lock_timeout = ${Math.round(options.lockTimeoutMs)}; set local plan_cache_mode = force_generic_plan`,
      );
    await begin();
    const plans: PlanOutcome[] = [];
    for (const [index, { query, params }] of queries.entries()) {
      const started = performance.now();
      try {
        const json = await explainPrepared(client, query, params, `sg_workload_${index}`);
        plans.push({ ok: true, plan: summarize(json), ms: performance.now() - started });
      } catch (error) {
        if (!(error instanceof pg.DatabaseError) || !error.code)
          throw new PreviewError(
            'connection_failed',
            `planning a workload query failed outside Postgres: ${(error as Error).message}`,
          );
        const safe = agentSafeError(
          { code: error.code, message: error.message, detail: error.detail, hint: error.hint },
          query,
        );
        plans.push({
          ok: false,
          error: {
            code: error.code,
            message: safe.message,
            ...(safe.detail ? { detail: safe.detail } : {}),
            ...(safe.hint ? { hint: safe.hint } : {}),
          },
          ms: performance.now() - started,
        });
        // The failed statement aborted the transaction: open a new one for the next query.
        await client.query('rollback');
        await begin();
      }
    }
    // Prepared statements outlive the transaction; the session ends right after, this only keeps it tidy.
    await client.query('deallocate all');
    const columns = await tableColumns(client, insertTables);
    const scanned = [...new Set(plans.flatMap((p) => (p.ok ? p.plan.scans.map((s) => s.relation) : [])))];
    const rows = await estimatedRowsByName(client, scanned);
    return { plans, columns, rows, serverVersion: who.version };
  });
}

async function explainPrepared(client: pg.Client, query: string, params: number, name: string): Promise<unknown> {
  await executeOne(client, `prepare ${name} as ${query}`);
  const args = params > 0 ? `(${Array.from({ length: params }, () => 'null').join(', ')})` : '';
  const { rows } = await executeOne(client, `explain (format json) execute ${name}${args}`);
  return rows[0]['QUERY PLAN'];
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Total Cost': number;
  Plans?: PlanNode[];
}

/** Scans by relation: a Bitmap Heap Scan takes the index of the Bitmap Index Scan beneath it. */
export function summarize(json: unknown): PlanSummary {
  const root = (json as Array<{ Plan: PlanNode }>)[0]!.Plan;
  const scans: PlanSummary['scans'] = [];
  const stack: PlanNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node['Relation Name']) {
      const index = node['Index Name'] ?? node.Plans?.find((child) => child['Index Name'])?.['Index Name'];
      scans.push({
        node: node['Node Type'],
        relation: node['Relation Name'].toLowerCase(),
        ...(index ? { index } : {}),
      });
    }
    stack.push(...(node.Plans ?? []));
  }
  return { totalCost: root['Total Cost'], scans };
}

async function tableColumns(client: pg.Client, tables: readonly string[]): Promise<Map<string, TableColumn[]>> {
  const out = new Map<string, TableColumn[]>();
  if (tables.length === 0) return out;
  const { rows } = await client.query<{ table: string; columns: TableColumn[] | null }>(
    `select t.name as table,
            (select json_agg(json_build_object('name', a.attname, 'required', a.attnotnull and not a.atthasdef and a.attidentity = '' and a.attgenerated = '') order by a.attnum)
               from pg_attribute a where a.attrelid = to_regclass(t.name) and a.attnum > 0 and not a.attisdropped) as columns
       from unnest($1::text[]) as t(name)`,
    [tables],
  );
  for (const row of rows) if (row.columns) out.set(row.table, row.columns);
  return out;
}
