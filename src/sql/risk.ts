import { ruleByCode, type RuleCode } from './catalog.ts';
import { ruleFinding } from './rules/finding.ts';
import type { Policy } from './policy.ts';
import type { AnalysisResult, Finding, RiskClass, Severity, StatementInfo } from './types.ts';

/** What the preview measured for one statement. */
export interface StatementMeasurement {
  statementIndex: number;
  /** The table the statement worked on (schema-qualified when known). */
  table?: string;
  /** Rows on the preview branch (a sample unless the base is a full copy). */
  rows?: number;
  bytes?: number;
  /** Production's row estimate for the same table: what size-sensitive findings are judged by when known. */
  productionRows?: number;
  rewritten: boolean;
  locks: Array<{ mode: string; relation: string }>;
  durationMs: number;
}

/**
 * forbidden if any guardrail stands, high if any error, medium if any warning, else low.
 * Suppressed findings do not count.
 *
 * @example
 * riskClass(result.findings); // 'medium'
 */
export function riskClass(findings: readonly Finding[]): RiskClass {
  const open = findings.filter((finding) => !finding.suppressed);
  if (open.some((finding) => finding.category === 'guardrail')) return 'forbidden';
  if (open.some((finding) => finding.severity === 'error')) return 'high';
  if (open.some((finding) => finding.severity === 'warning')) return 'medium';
  return 'low';
}

/**
 * Re-level static findings with what the preview observed: size-sensitive findings on small tables
 * become info and on large ones error; an observed rewrite or a long ACCESS EXCLUSIVE lock on a
 * table that is not small adds or escalates a finding. Returns a new result with its risk class.
 *
 * @example
 * const refined = applyPreview(analyze(sql, policy), [{ statementIndex: 0, table: 'users', rows: 12, rewritten: false, locks: [], durationMs: 3 }], policy);
 */
export function applyPreview(
  result: AnalysisResult,
  measurements: readonly StatementMeasurement[],
  policy: Policy,
): AnalysisResult {
  const { smallTableRows, largeTableRows, exclusiveLockMs } = policy.thresholds;
  const byStatement = new Map(measurements.map((m) => [m.statementIndex, m]));
  const sizeLevel = (rows: number | undefined): Severity | undefined => {
    if (rows === undefined) return undefined;
    if (rows < smallTableRows) return 'info';
    return rows >= largeTableRows ? 'error' : undefined;
  };
  const findings = result.findings.map((finding): Finding => {
    const measured = finding.statementIndex === null ? undefined : byStatement.get(finding.statementIndex);
    const rule = ruleByCode(finding.code);
    if (!measured || !rule.sizeSensitive || sizeOf(measured) === undefined) return finding;
    const level = policy.rules[finding.code] === undefined ? sizeLevel(sizeOf(measured)) : undefined;
    return { ...finding, ...(level ? { severity: level } : {}), message: `${finding.message} ${sizeNote(measured)}` };
  });
  for (const measured of measurements) {
    const statement = result.statements[measured.statementIndex];
    const rows = sizeOf(measured);
    if (!statement || (rows !== undefined && rows < smallTableRows)) continue;
    const onStatement = findings.filter((f) => f.statementIndex === measured.statementIndex && f.category === 'lock');
    const large = rows !== undefined && rows >= largeTableRows;
    if (measured.rewritten && !onStatement.some((f) => ['SG104', 'SG105', 'SG110'].includes(f.code))) {
      const added = previewFinding(
        'SG115',
        large,
        `The preview rewrote ${measured.table ?? 'a table'}. ${sizeNote(measured)}`,
        statement,
        policy,
      );
      if (added) findings.push(added);
    }
    if (measured.locks.some(isAccessExclusive) && measured.durationMs >= exclusiveLockMs) {
      const added = previewFinding(
        'SG116',
        large,
        `The preview held an ACCESS EXCLUSIVE lock for ${measured.durationMs} ms (threshold ${exclusiveLockMs} ms).`,
        statement,
        policy,
      );
      if (added) findings.push(added);
    }
  }
  return { ...result, findings, riskClass: riskClass(findings) };
}

/** Production's figure when the preview could read it: the branch may hold only a sample. */
function sizeOf(measured: StatementMeasurement): number | undefined {
  return measured.productionRows ?? measured.rows;
}

function sizeNote(measured: StatementMeasurement): string {
  const table = measured.table ?? 'the table';
  const branch = measured.rows === undefined ? 'unknown' : String(measured.rows);
  if (measured.productionRows === undefined) return `Preview: ${table} has ${branch} rows.`;
  return `Production: ${table} has about ${measured.productionRows} rows (${branch} on the preview branch).`;
}

/** pg_locks spells it "AccessExclusiveLock"; people write "ACCESS EXCLUSIVE". */
export function isAccessExclusive(lock: { mode: string }): boolean {
  return lock.mode.toLowerCase().replaceAll(' ', '').replace(/lock$/, '') === 'accessexclusive';
}

function previewFinding(
  code: RuleCode,
  large: boolean,
  message: string,
  statement: StatementInfo,
  policy: Policy,
): Finding | undefined {
  // On a large table it is an error, unless the policy says how severe it is.
  const severity = large ? ('error' as const) : undefined;
  return ruleFinding({ code, message, statementIndex: statement.index, span: statement.span, severity }, policy);
}
