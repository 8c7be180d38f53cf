/** Shared shapes of the analysis engine: what a rule reports and what `analyze` returns. */

import type { RuleCode } from './catalog.ts';

/** Every severity, most severe first; the policy, the HTTP schemas and the CLI flags derive theirs from it. */
export const severities = ['error', 'warning', 'info'] as const;
export type Severity = (typeof severities)[number];
export type Category = 'lock' | 'destructive' | 'guardrail' | 'hygiene';
export type RiskClass = 'low' | 'medium' | 'high' | 'forbidden';

/** Offsets are JavaScript string indexes into the migration; lines and columns are 1-based. */
export interface Span {
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Finding {
  code: RuleCode;
  severity: Severity;
  category: Category;
  message: string;
  /** Index into `statements`, or null for findings about the whole file (a syntax error). */
  statementIndex: number | null;
  span: Span;
  suggestion: string;
  why?: string;
  suppressed?: { reason: string };
}

export interface StatementInfo {
  index: number;
  span: Span;
  /** The parser's node name, e.g. "CreateStmt" or "IndexStmt". */
  kind: string;
  /** False for statements Postgres refuses to run inside a transaction block. */
  transactional: boolean;
  sql: string;
}

export interface AnalysisResult {
  findings: Finding[];
  statements: StatementInfo[];
  riskClass: RiskClass;
}

/** Static metadata of one rule; docs/rules.md is generated from these. The catalog's codes make `RuleCode`. */
export interface RuleMeta<Code extends string = RuleCode> {
  code: Code;
  name: string;
  category: Category;
  severity: Severity;
  title: string;
  why: string;
  suggestion: string;
  /** Preview measurements of table size may move its severity up or down. */
  sizeSensitive?: boolean;
  /** Cannot be turned off, lowered or suppressed: guardrails and analyzer integrity. */
  locked?: boolean;
}
