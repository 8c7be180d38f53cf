import { ruleByCode } from '../sql/catalog.ts';
import type { Policy } from '../sql/policy.ts';
import { riskClass } from '../sql/risk.ts';
import type { AnalysisResult, Finding, Span } from '../sql/types.ts';
import type { WorkloadCheckResult, WorkloadIssue } from './workload-compat.ts';

/** Long normalized queries are cut in a finding's message; the whole text stays in the preview result. */
const shownQueryChars = 400;

/**
 * Adds the workload check's issues to an analysis as findings (SG501-SG504),
 * with the policy's severity overrides and `off`, and recomputes the risk
 * class. A finding is about the whole migration (statementIndex null): the
 * query, not a statement of the migration, is what breaks. The message
 * carries the query.
 *
 * @example
 * const refined = withWorkloadFindings(analysis, preview.compatibility, policy);
 */
export function withWorkloadFindings(analysis: AnalysisResult, result: WorkloadCheckResult | undefined, policy: Policy): AnalysisResult {
  if (!result || result.issues.length === 0) return analysis;
  const span = wholeMigration(analysis);
  const added = result.issues.flatMap((issue) => {
    const finding = workloadFinding(issue, span, policy);
    return finding ? [finding] : [];
  });
  const findings = [...analysis.findings, ...added];
  return { ...analysis, findings, riskClass: riskClass(findings) };
}

function workloadFinding(issue: WorkloadIssue, span: Span, policy: Policy): Finding | undefined {
  const rule = ruleByCode(issue.code);
  if (!rule) throw new Error(`rule ${issue.code} is reported but missing from the catalog`);
  const configured = policy.rules[issue.code];
  if (configured === 'off') return undefined;
  return {
    code: issue.code,
    severity: configured ?? rule.severity,
    category: rule.category,
    message: `${issue.message} Query: ${oneLine(issue.query)}`,
    statementIndex: null,
    span,
    suggestion: rule.suggestion,
    why: rule.why,
  };
}

function wholeMigration(analysis: AnalysisResult): Span {
  const first = analysis.statements[0]?.span;
  const last = analysis.statements.at(-1)?.span;
  if (!first || !last) return { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
  return { start: first.start, end: last.end, line: first.line, column: first.column, endLine: last.endLine, endColumn: last.endColumn };
}

function oneLine(query: string): string {
  const flat = query.replace(/\s+/g, ' ').trim();
  return flat.length > shownQueryChars ? `${flat.slice(0, shownQueryChars)}…` : flat;
}
