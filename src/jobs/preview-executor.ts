import { readNetlifyLedger } from '../database/netlify-ledger.ts';
import type { PreviewResult } from '../preview/preview.ts';
import { runPreview } from '../preview/preview.ts';
import type { BranchProvider } from '../preview/branch-provider.ts';
import type { StatementResult } from '../preview/apply.ts';
import type { TableSize } from '../preview/measure.ts';
import type { ProductionTableSize } from '../preview/production-sizes.ts';
import { withClient } from '../database/server-admin.ts';
import { withWorkloadFindings } from '../preview/workload-findings.ts';
import type { WorkloadPreview } from '../preview/workload-preview.ts';
import { analyze } from '../sql/analyze.ts';
import type { Policy } from '../sql/policy.ts';
import { applyPreview, type StatementMeasurement } from '../sql/risk.ts';
import type { AnalysisResult } from '../sql/types.ts';
import type { ExistingColumns } from '../sql/state.ts';
import { columnTypes } from '../schema/column-types.ts';
import type { FunctionVolatilities } from '../sql/rules/column-defaults.ts';
import type { PreviewExecutor } from './preview-worker.ts';

export interface PreviewEnvironment {
  provider: BranchProvider;
  policy: Policy;
  /** Migrations production has applied, oldest first; undefined when there is no source to replay from. */
  history: (proposalId: string) => Promise<Array<{ name: string; sql: string }> | undefined>;
  /** Production's column types, for a proposal that never reaches a branch (one that does takes them from the branch). */
  existingColumns?: () => Promise<ExistingColumns>;
  /** Volatility of production's own functions, so a column default calling a known immutable or stable one is not flagged. */
  functionVolatility?: () => Promise<FunctionVolatilities>;
  /** Production's queries to check against the migrated branch (SG501-SG504); none when absent. */
  workload?: WorkloadPreview;
  /** Production's size of tables the preview touched, so the risk is judged by production, not by the branch's copy. */
  productionSizes?: (tables: string[]) => Promise<Map<string, ProductionTableSize>>;
}

/**
 * The preview job's work: static analysis, then (unless the SQL is
 * forbidden or does not parse) a run on a fresh branch of production, whose
 * measurements re-level the findings.
 *
 * @example
 * const execute = createPreviewExecutor({ provider, policy, history: async () => undefined });
 */
export function createPreviewExecutor(env: PreviewEnvironment): PreviewExecutor {
  return async (request) => {
    // Production's history is read meanwhile: a forbidden proposal just never uses it.
    const history = env.history(request.proposalId);
    history.catch(() => {});
    // Without it the rules still work, only less precisely: unknown functions count as volatile.
    const functionVolatility = await env.functionVolatility?.().catch(() => undefined);
    const analyzeWith = (existingColumns: ExistingColumns | undefined) =>
      analyze(request.sql, env.policy, {
        ...(existingColumns ? { existingColumns } : {}),
        ...(functionVolatility ? { functionVolatility } : {}),
      });
    // Guardrails do not depend on production's column types: those come from the branch when it runs.
    const screened = analyzeWith(undefined);
    const blockers = screened.findings.filter(
      (f) => !f.suppressed && (f.category === 'guardrail' || f.code === 'SG001'),
    );
    if (blockers.length > 0) {
      const analysis = analyzeWith(await env.existingColumns?.().catch(() => undefined));
      return {
        ok: false,
        riskClass: analysis.riskClass,
        result: { analysis, preview: null, skipped: `not run on a branch: ${blockers.map((f) => f.code).join(', ')}` },
      };
    }
    // The branch is a copy of production: its schema before the migration gives production's column types
    // without reading production's schema a second time (the branch provider reads it for its head).
    let existingColumns: ExistingColumns | undefined;
    const preview = await runPreview({
      provider: env.provider,
      branchName: request.branchName,
      sql: request.sql,
      downSql: request.downSql,
      history: await history,
      options: {
        lockTimeoutMs: env.policy.timeouts.lockTimeoutMs,
        statementTimeoutMs: env.policy.timeouts.statementTimeoutMs,
      },
      ...(env.workload ? { workload: env.workload } : {}),
      onSchemaBefore: (schema) => (existingColumns = columnTypes(schema)),
    });
    const analysis = existingColumns ? analyzeWith(existingColumns) : screened;
    if (preview.apply && env.productionSizes) await addProductionSizes(preview.apply.statements, env.productionSizes);
    const measured: AnalysisResult = preview.apply
      ? applyPreview(analysis, measurements(preview.apply.statements), env.policy)
      : analysis;
    const refined = withWorkloadFindings(measured, preview.compatibility, env.policy, preview.apply?.statements);
    return {
      ok: applied(preview),
      riskClass: refined.riskClass,
      productionHead: preview.branch?.baseHead ?? null,
      result: {
        analysis: refined,
        preview,
        ...(preview.branch?.baseHead ? { production_head: preview.branch.baseHead } : {}),
      },
    };
  };
}

/** The migration ran and its effect could be read back; drift and a failing down are reported, not fatal. */
function applied(preview: PreviewResult): boolean {
  const needed = ['create_branch', 'introspect_before', 'apply', 'introspect_after'];
  return preview.apply?.ok === true && needed.every((name) => preview.steps.some((s) => s.name === name && s.ok));
}

/**
 * Production's figures beside the branch's, on each measured table. A read
 * that fails fails the preview: judging by a sample alone could rate a
 * migration on a big table low.
 */
async function addProductionSizes(
  statements: StatementResult[],
  read: (tables: string[]) => Promise<Map<string, ProductionTableSize>>,
): Promise<void> {
  const names = [...new Set(statements.flatMap((s) => s.tables.map((t) => t.table)))];
  if (names.length === 0) return;
  const sizes = await read(names);
  for (const table of statements.flatMap((s) => s.tables)) {
    const production = sizes.get(table.table);
    if (production) table.production = production;
  }
}

function measurements(statements: readonly StatementResult[]): StatementMeasurement[] {
  return statements.map((s) => {
    // A statement that locks several tables weighs as much as the biggest.
    const table = s.tables.reduce<TableSize | undefined>(
      (big, t) => (big && size(big) >= size(t) ? big : t),
      undefined,
    );
    const productionRows = table?.production?.estimatedRows ?? undefined;
    return {
      statementIndex: s.index,
      ...(table
        ? { table: table.table, rows: table.rows ?? table.estimatedRows ?? undefined, bytes: table.totalBytes }
        : {}),
      ...(productionRows !== undefined ? { productionRows } : {}),
      rewritten: s.rewritten.length > 0,
      locks: s.locks.map((l) => ({ mode: l.mode, relation: l.relation })),
      durationMs: s.durationMs,
    };
  });
}

const size = (t: TableSize) => t.production?.estimatedRows ?? t.rows ?? t.estimatedRows ?? 0;

/**
 * History from production's Netlify ledger: the repository's migration files
 * whose names production recorded as applied, in ledger order. Undefined
 * when production keeps no ledger (nothing to replay from).
 */
export async function ledgerHistory(
  productionUrl: string,
  files: Map<string, string>,
): Promise<Array<{ name: string; sql: string }> | undefined> {
  const applied = await withClient(productionUrl, readNetlifyLedger);
  return applied?.flatMap((name) => {
    const sql = files.get(name);
    return sql === undefined ? [] : [{ name, sql }];
  });
}
