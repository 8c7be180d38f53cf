import { ruleFinding } from '../sql/rules/finding.ts';
import type { Policy } from '../sql/policy.ts';
import { isAccessExclusive, riskClass } from '../sql/risk.ts';
import type { AnalysisResult, Finding, Span } from '../sql/types.ts';
import type { StatementResult } from './apply-result.ts';
import type { WorkloadCheckResult, WorkloadIssue } from './workload-compat.ts';

/** Long normalized queries are cut in a finding's message; the whole text stays in the preview result. */
const shownQueryChars = 400;

/**
 * Adds the workload check's issues to an analysis as findings (SG501-SG504),
 * with the policy's severity overrides and `off`, and recomputes the risk
 * class. The message carries the query. A finding points at the first
 * migration statement the preview saw take an ACCESS EXCLUSIVE lock (else
 * any lock) on a table the query names; without measurements, at the whole
 * migration (statementIndex null).
 *
 * @example
 * const refined = withWorkloadFindings(analysis, preview.compatibility, policy, preview.apply?.statements);
 */
export function withWorkloadFindings(
  analysis: AnalysisResult,
  result: WorkloadCheckResult | undefined,
  policy: Policy,
  measured: readonly StatementResult[] = [],
): AnalysisResult {
  if (!result || result.issues.length === 0) return analysis;
  const added = result.issues.flatMap((issue) => {
    const index = causeOf(issue, measured);
    const statement = index === undefined ? undefined : analysis.statements[index];
    const finding = workloadFinding(
      issue,
      statement ? { index: statement.index, span: statement.span } : { index: null, span: wholeMigration(analysis) },
      policy,
    );
    return finding ? [finding] : [];
  });
  const findings = [...analysis.findings, ...added];
  return { ...analysis, findings, riskClass: riskClass(findings) };
}

function causeOf(issue: WorkloadIssue, measured: readonly StatementResult[]): number | undefined {
  const names = new Set(issue.relations.map(lastName));
  const locking = (strong: boolean) =>
    measured.find((s) => s.locks.some((l) => names.has(lastName(l.relation)) && (!strong || isAccessExclusive(l))))
      ?.index;
  return locking(true) ?? locking(false);
}

/** `users` from `public.users`, `"public"."Users"` or `users`: lock names are quoted, query names are as written. */
function lastName(relation: string): string {
  const last = relation.match(/(?:"((?:[^"]|"")*)"|([^."]+))$/);
  return (last?.[1]?.replaceAll('""', '"') ?? last?.[2] ?? relation).toLowerCase();
}

function workloadFinding(
  issue: WorkloadIssue,
  at: { index: number | null; span: Span },
  policy: Policy,
): Finding | undefined {
  return ruleFinding(
    {
      code: issue.code,
      message: `${issue.message} Query: ${oneLine(issue.query)}`,
      statementIndex: at.index,
      span: at.span,
    },
    policy,
  );
}

function wholeMigration(analysis: AnalysisResult): Span {
  const first = analysis.statements[0]?.span;
  const last = analysis.statements.at(-1)?.span;
  if (!first || !last) return { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
  return {
    start: first.start,
    end: last.end,
    line: first.line,
    column: first.column,
    endLine: last.endLine,
    endColumn: last.endColumn,
  };
}

function oneLine(query: string): string {
  const flat = query.replace(/\s+/g, ' ').trim();
  return flat.length > shownQueryChars ? `${flat.slice(0, shownQueryChars)}…` : flat;
}
