import type { RuleCode } from './catalog.ts';
import { parseMigration, type ParsedStatement } from './parse.ts';
import { defaultPolicy, type Policy } from './policy.ts';
import type { SourceMap } from './positions.ts';
import { riskClass } from './risk.ts';
import type { Report, RuleContext, StatementRules } from './rules/context.ts';
import { checkDestructive } from './rules/destructive.ts';
import { ruleFinding } from './rules/finding.ts';
import { checkGuardrails } from './rules/guardrails.ts';
import { checkHygiene } from './rules/hygiene.ts';
import type { FunctionVolatilities } from './rules/column-defaults.ts';
import { checkLocks } from './rules/locks.ts';
import { checkTransactions, isTransactional } from './rules/transactions.ts';
import { createState, recordStatement, type ExistingColumns } from './state.ts';
import { findSuppressions } from './suppressions.ts';
import type { AnalysisResult, Finding, Span, StatementInfo } from './types.ts';

export interface AnalyzeOptions {
  /** Column types of the database the migration will run on, to tell widening from narrowing type changes. */
  existingColumns?: ExistingColumns;
  /**
   * Volatility of the database's own functions (from pg_proc.provolatile), so a column default
   * calling one is judged by what it is rather than assumed volatile.
   */
  functionVolatility?: FunctionVolatilities;
}

const ruleFamilies: StatementRules[] = [checkGuardrails, checkTransactions, checkLocks, checkDestructive, checkHygiene];

interface RawFinding {
  code: RuleCode;
  message: string;
  statementIndex: number | null;
  start: number;
  end: number;
}

/**
 * Check a migration with every rule. Never throws on bad SQL: a syntax error is a finding.
 *
 * @example
 * const result = analyze('CREATE INDEX i ON users (email);', defaultPolicy);
 * result.findings[0]?.code; // 'SG101'
 * result.riskClass;         // 'medium'
 */
export function analyze(sql: string, policy: Policy = defaultPolicy, options: AnalyzeOptions = {}): AnalysisResult {
  const parsed = parseMigration(sql);
  if (!parsed.ok) {
    const end = Math.min(parsed.position + 1, sql.length);
    const raw: RawFinding = {
      code: 'SG001',
      message: `Syntax error: ${parsed.message}.`,
      statementIndex: null,
      start: parsed.position,
      end,
    };
    const findings = [toFinding(raw, parsed.map, policy)].filter((f): f is Finding => f !== undefined);
    return { findings, statements: [], riskClass: riskClass(findings) };
  }
  const statements = parsed.statements.map((statement) => statementInfo(statement, parsed.map));
  const state = createState(options.existingColumns, options.functionVolatility);
  const raw: RawFinding[] = [];
  for (const statement of parsed.statements) {
    const report: Report = (code, message, location) => {
      const at = location === undefined ? statement.start : parsed.map.charIndex(location);
      const start = at >= statement.start && at < statement.end ? at : statement.start;
      raw.push({ code, message, statementIndex: statement.index, start, end: statement.end });
    };
    const context: RuleContext = { policy, state, statement, statements, report };
    for (const rules of ruleFamilies) rules(statement.node, context);
    recordStatement(state, statement.node);
  }
  const { suppressions, problems } = findSuppressions(parsed.comments, parsed.statements);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const item of [...raw, ...problems]) {
    const key = `${item.statementIndex}:${item.code}:${item.start}:${item.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const finding = toFinding(item, parsed.map, policy);
    if (finding) findings.push(finding);
  }
  for (const suppression of suppressions) {
    const covered = findings.filter(
      (f) => f.statementIndex === suppression.statementIndex && suppression.codes.includes(f.code) && !f.suppressed,
    );
    for (const finding of covered) finding.suppressed = { reason: suppression.reason };
    for (const code of suppression.codes.filter((c) => !covered.some((f) => f.code === c))) {
      const unused = toFinding(
        { ...suppression, code: 'SG004', message: `Suppression of ${code} matches no finding in this statement.` },
        parsed.map,
        policy,
      );
      if (unused) findings.push(unused);
    }
  }
  findings.sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
  return { findings, statements, riskClass: riskClass(findings) };
}

function statementInfo(statement: ParsedStatement, map: SourceMap): StatementInfo {
  return {
    index: statement.index,
    span: span(statement.start, statement.end, map),
    kind: statement.kind,
    transactional: isTransactional(statement.node),
    sql: statement.sql,
  };
}

function toFinding(raw: RawFinding, map: SourceMap, policy: Policy): Finding | undefined {
  return ruleFinding({ ...raw, span: span(raw.start, raw.end, map) }, policy);
}

function span(start: number, end: number, map: SourceMap): Span {
  const from = map.lineColumn(start);
  const to = map.lineColumn(end);
  return { start, end, line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
}
