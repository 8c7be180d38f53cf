import pg from 'pg';
import type { Policy } from '../sql/policy.ts';
import {
  inspectBranch,
  type BranchInspection,
  type InspectOptions,
  type PlanOutcome,
  type PlanSummary,
} from './workload-plans.ts';
import { screenStatement, type InsertTarget } from './workload-screen.ts';
import type { Workload, WorkloadStatement } from './workload-source.ts';

export interface WorkloadCheckOptions extends InspectOptions {
  /** A plan whose estimated total cost grows by this factor or more is a regression (SG503). */
  costFactor: number;
  /** An index scan that becomes a sequential scan on a table with at least this many rows is a regression (SG504). */
  largeTableRows: number;
}

export interface WorkloadCheckInput {
  workload: Workload;
  /** The migrated branch, as the preview role. */
  afterUrl: string;
  /** The same data before the migration (a twin branch), as the preview role; without it nothing is compared and every failure counts. */
  beforeUrl?: string;
  /**
   * The state before, instead of `beforeUrl`: planned earlier on the same database (inspectWorkload),
   * or a database to plan on, asked for only when the migrated branch shows something to compare
   * (a query that fails, a plan costly enough to regress, a sequential scan on a large table, an
   * INSERT leaving out a required column); undefined when there is none.
   */
  before?: BranchInspection | (() => Promise<string | undefined>);
  /** Row counts that judge "large", from production's catalog; the branch's reltuples otherwise (a sampled base is small). */
  tableRows?: (relations: string[]) => Promise<Map<string, number>>;
  options: WorkloadCheckOptions;
}

export type WorkloadCode = 'SG501' | 'SG502' | 'SG503' | 'SG504';

export interface WorkloadIssue {
  code: WorkloadCode;
  statementId: string;
  query: string;
  calls?: number;
  message: string;
  /** The table, column or function the issue is about, when known. */
  object?: string;
  /** Relations the query names, as written: the migration statements that lock them are the likely cause. */
  relations: string[];
}

export interface WorkloadCheckResult {
  source: Workload['source'];
  note?: string;
  /** Statements prepared on the migrated branch. */
  checked: number;
  skipped: Array<{ statementId: string; query: string; reason: string }>;
  issues: WorkloadIssue[];
  durationMs: number;
  /** Planning time per checked statement on the migrated branch and on the twin, summed. */
  perStatementMs: number;
  /** Whether the queries were also planned before the migration (not needed when the migrated branch shows nothing to compare). */
  compared?: boolean;
}

/** Planning takes milliseconds; a query that plans for longer than this is not waited for. */
const maxPlanningMs = 5000;

/**
 * The check's options under a policy: its lock timeout, its statement timeout capped for
 * planning, its large-table threshold, and the configured cost factor.
 *
 * @example
 * const options = workloadCheckOptions(policy, config.preview.workload.costFactor);
 */
export function workloadCheckOptions(policy: Policy, costFactor = 10): WorkloadCheckOptions {
  return {
    statementTimeoutMs: Math.min(policy.timeouts.statementTimeoutMs, maxPlanningMs),
    lockTimeoutMs: policy.timeouts.lockTimeoutMs,
    costFactor,
    largeTableRows: policy.thresholds.largeTableRows,
  };
}

/** Cost differences below this are a few pages: not worth a finding whatever the ratio. */
const minCostIncrease = 100;
const indexScans = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Heap Scan']);

/**
 * Checks production's query shapes against the migrated branch: a query
 * that no longer prepares is breaking (SG501), an INSERT that leaves out a
 * newly required column is breaking (SG502), a plan whose estimated cost
 * grows by `costFactor` (SG503) or whose index scan on a large table becomes
 * a sequential scan (SG504) is a regression. With the state before
 * (`beforeUrl` or `before`), a query that already failed before the
 * migration is skipped, not blamed on it. Never executes a captured query
 * (see inspectBranch).
 *
 * @example
 * const result = await checkWorkload({ workload, afterUrl: branch.url, beforeUrl: twin.url,
 *   options: { statementTimeoutMs: 5000, lockTimeoutMs: 1000, costFactor: 10, largeTableRows: 1_000_000 } });
 * for (const issue of result.issues) console.log(issue.code, issue.message);
 */
export async function checkWorkload(input: WorkloadCheckInput): Promise<WorkloadCheckResult> {
  const started = performance.now();
  const { workload, options } = input;
  const { checked, skipped } = screenWorkload(workload);
  const base = {
    source: workload.source,
    ...(workload.note ? { note: workload.note } : {}),
    checked: checked.length,
    skipped,
  };
  if (checked.length === 0) return { ...base, issues: [], durationMs: performance.now() - started, perStatementMs: 0 };

  // Two databases, two sessions: planned side by side.
  const given = typeof input.before === 'function' ? undefined : input.before;
  const [after, beforeNow] = await Promise.all([
    inspectScreened(input.afterUrl, checked, options),
    given ?? (input.beforeUrl ? inspectScreened(input.beforeUrl, checked, options) : undefined),
  ]);
  const sizes = async (sides: Array<BranchInspection | undefined>) => {
    const scanned = [
      ...new Set(
        sides.flatMap((side) => side?.plans.flatMap((p) => (p.ok ? p.plan.scans.map((s) => s.relation) : [])) ?? []),
      ),
    ];
    return (
      (await input.tableRows?.(scanned).catch(() => undefined)) ??
      new Map(sides.flatMap((side) => [...(side?.rows ?? [])]))
    );
  };
  let before = beforeNow;
  let rows = await sizes([after, before]);
  if (!before && typeof input.before === 'function' && worthComparing(after, checked, rows, options)) {
    const url = await input.before();
    if (url) {
      before = await inspectScreened(url, checked, options);
      rows = await sizes([after, before]);
    }
  }

  const issues: WorkloadIssue[] = [];
  for (const [index, item] of checked.entries()) {
    const shown = {
      statementId: item.statement.id,
      query: item.statement.query,
      ...(item.statement.calls === undefined ? {} : { calls: item.statement.calls }),
      relations: item.relations,
    };
    const was = before?.plans[index];
    const now = after.plans[index]!;
    if (!now.ok) {
      if (was && !was.ok) {
        skipped.push({ ...shown, reason: `fails before the migration too (${was.error.code}: ${was.error.message})` });
        continue;
      }
      const object = objectOf(now.error.message);
      issues.push({
        ...shown,
        code: 'SG501',
        message: `${describe(item.statement)} no longer plans after the migration: ${now.error.message} (${now.error.code})${was ? '' : '; not compared with the schema before'}.`,
        ...(object ? { object } : {}),
      });
      continue;
    }
    const missing = item.insert && item.key ? newlyRequired(item.insert, item.key, after, before) : [];
    if (missing.length > 0) {
      const table = item.insert!.table.schema
        ? `${item.insert!.table.schema}.${item.insert!.table.name}`
        : item.insert!.table.name;
      issues.push({
        ...shown,
        code: 'SG502',
        object: `${table}.${missing[0]}`,
        message: `${describe(item.statement)} does not set ${missing.map((c) => `${table}.${c}`).join(', ')}, which the migration makes required (NOT NULL without a default): the INSERT fails with a not-null violation.`,
      });
      continue;
    }
    if (was?.ok)
      issues.push(
        ...regressions(was.plan, now.plan, rows, options).map((r) => ({
          ...shown,
          ...r,
          message: `${describe(item.statement)}: ${r.message}`,
        })),
      );
  }
  const failedBefore = skipped.filter((s) => s.reason.startsWith('fails before the migration'));
  if (checked.length > 0 && failedBefore.length === checked.length) {
    // Nothing was compared: a check that cannot plan anything must not read as "no issues".
    throw new Error(
      `none of the ${checked.length} production queries could be planned even before the migration; first: ${failedBefore[0]!.reason}`,
    );
  }
  const planned = [...after.plans, ...(before?.plans ?? [])].reduce((sum, p: PlanOutcome) => sum + p.ms, 0);
  return {
    ...base,
    issues,
    durationMs: performance.now() - started,
    perStatementMs: planned / checked.length,
    compared: before !== undefined,
  };
}

interface Screened {
  statement: WorkloadStatement;
  params: number;
  relations: string[];
  insert?: InsertTarget;
  key?: string;
}

function screenWorkload(workload: Workload): { checked: Screened[]; skipped: WorkloadCheckResult['skipped'] } {
  const skipped: WorkloadCheckResult['skipped'] = [];
  const checked: Screened[] = [];
  for (const statement of workload.statements) {
    const screened = screenStatement(statement.query);
    if (!screened.ok)
      skipped.push({ statementId: statement.id, query: statement.query, reason: `not checked: ${screened.message}` });
    else
      checked.push({
        statement,
        params: screened.params,
        relations: screened.relations,
        ...(screened.insert ? { insert: screened.insert, key: tableKey(screened.insert.table) } : {}),
      });
  }
  return { checked, skipped };
}

function inspectScreened(url: string, checked: Screened[], options: InspectOptions): Promise<BranchInspection> {
  const queries = checked.map((c) => ({ query: c.statement.query, params: c.params }));
  const insertTables = [...new Set(checked.flatMap((c) => (c.key ? [c.key] : [])))];
  return inspectBranch(url, queries, insertTables, options);
}

/**
 * Plans a workload on a database as it is now, for a later checkWorkload on the same database
 * after the migration (`before`): how `check` compares, on its one replay database.
 *
 * @example
 * const before = await inspectWorkload(url, workload, options);
 * // ... apply the new migrations ...
 * const result = await checkWorkload({ workload, afterUrl: url, before, options });
 */
export function inspectWorkload(url: string, workload: Workload, options: InspectOptions): Promise<BranchInspection> {
  return inspectScreened(url, screenWorkload(workload).checked, options);
}

/** Whether the migrated branch's plans could hold an issue: otherwise no plan before the migration is needed. */
function worthComparing(
  after: BranchInspection,
  checked: Screened[],
  rows: Map<string, number>,
  options: WorkloadCheckOptions,
): boolean {
  return (
    after.plans.some(
      (p) =>
        !p.ok ||
        p.plan.totalCost >= minCostIncrease ||
        p.plan.scans.some((s) => s.node === 'Seq Scan' && (rows.get(s.relation) ?? 0) >= options.largeTableRows),
    ) || checked.some((c) => c.insert && c.key && newlyRequired(c.insert, c.key, after, undefined).length > 0)
  );
}

function regressions(
  was: PlanSummary,
  now: PlanSummary,
  rows: Map<string, number>,
  options: WorkloadCheckOptions,
): Array<Pick<WorkloadIssue, 'code' | 'message' | 'object'>> {
  const lost = now.scans.filter((scan) => {
    if (scan.node !== 'Seq Scan') return false;
    const indexedBefore = was.scans.some((s) => s.relation === scan.relation && indexScans.has(s.node));
    const seqBefore = was.scans.some((s) => s.relation === scan.relation && s.node === 'Seq Scan');
    return indexedBefore && !seqBefore && (rows.get(scan.relation) ?? 0) >= options.largeTableRows;
  });
  if (lost.length > 0) {
    const scan = lost[0]!;
    const index = was.scans.find((s) => s.relation === scan.relation && s.index)?.index;
    return [
      {
        code: 'SG504',
        object: scan.relation,
        message: `the plan on ${scan.relation} (${Math.round(rows.get(scan.relation) ?? 0)} rows) changes from an index scan${index ? ` using ${index}` : ''} to a sequential scan; estimated cost ${cost(was.totalCost)} → ${cost(now.totalCost)}.`,
      },
    ];
  }
  const ratio = was.totalCost > 0 ? now.totalCost / was.totalCost : Infinity;
  if (ratio >= options.costFactor && now.totalCost - was.totalCost >= minCostIncrease) {
    return [
      {
        code: 'SG503',
        message: `estimated plan cost rises ${ratio === Infinity ? 'from 0' : `${ratio.toFixed(1)}×`} (${cost(was.totalCost)} → ${cost(now.totalCost)}, threshold ${options.costFactor}×).`,
      },
    ];
  }
  return [];
}

/** Required columns after the migration that the INSERT leaves out and that were not required (or not there) before. */
function newlyRequired(
  insert: InsertTarget,
  key: string,
  after: BranchInspection,
  before: BranchInspection | undefined,
): string[] {
  const columns = after.columns.get(key);
  if (!columns || insert.columns === 'unknown') return [];
  const set =
    'named' in insert.columns
      ? new Set(insert.columns.named)
      : new Set(columns.slice(0, insert.columns.positional).map((c) => c.name));
  const requiredBefore = new Set(
    before?.columns
      .get(key)
      ?.filter((c) => c.required)
      .map((c) => c.name) ?? [],
  );
  return columns.filter((c) => c.required && !set.has(c.name) && !requiredBefore.has(c.name)).map((c) => c.name);
}

function tableKey(table: { schema: string | null; name: string }): string {
  return table.schema
    ? `${pg.escapeIdentifier(table.schema)}.${pg.escapeIdentifier(table.name)}`
    : pg.escapeIdentifier(table.name);
}

function describe(statement: WorkloadStatement): string {
  return `Production query ${statement.id}${statement.calls === undefined ? '' : ` (${Math.round(statement.calls)} calls)`}`;
}

/**
 * What a Postgres error message is about: its first "quoted" name (a column or relation), or the
 * signature of a missing function or operator (42883: `function sum(text) does not exist`,
 * `operator does not exist: text > numeric`).
 */
function objectOf(message: string): string | undefined {
  return (
    /"([^"]+)"/.exec(message)?.[1] ??
    /^function (.+) does not exist$/.exec(message)?.[1] ??
    /^operator does not exist: (.+)$/.exec(message)?.[1]
  );
}

const cost = (value: number) => value.toFixed(2);
