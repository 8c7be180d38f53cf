import { severities, type AnalysisResult, type Finding, type Severity } from '../sql/types.ts';
import type { SchemaDiff } from '../schema/diff.ts';
import type { WorkloadCheckResult } from '../preview/workload-compat.ts';

/**
 * Stable codes of the history checks; CI scripts and the JSON output rely on them.
 * Every one is an error: each means production and the repository disagree,
 * or a deploy would skip or fail a migration.
 */
export type CheckCode =
  /** The hosted build would skip the file silently (bad slug, no numeric prefix, no migration.sql). */
  | 'name_skipped'
  /** Two migrations share a numeric prefix once leading zeros are stripped. */
  | 'duplicate_prefix'
  /** A new migration sorts before one that is already applied: it would never run where that one has. */
  | 'out_of_order'
  /** An applied migration's bytes differ from what was applied. */
  | 'applied_modified'
  /** An applied migration is no longer in the repository. */
  | 'applied_missing'
  /** The migration failed when the history was replayed on an empty database. */
  | 'apply_failed';

export const checkCodes: readonly CheckCode[] = [
  'name_skipped',
  'duplicate_prefix',
  'out_of_order',
  'applied_modified',
  'applied_missing',
  'apply_failed',
];

export interface CheckProblem {
  code: CheckCode;
  /** Path of the file, relative to the repository root. */
  file: string;
  /** 1-based; absent when the problem is about the whole file. */
  line?: number;
  column?: number;
  message: string;
  /** How to fix it. */
  suggestion: string;
}

/** A migration Netlify would apply, from the working tree. */
export interface CheckedMigration {
  name: string;
  file: string;
  /** Numeric prefix with leading zeros stripped: the order Netlify applies in. */
  order: string;
  sha256: string;
  status: 'applied' | 'new';
  /** How the bytes of an applied migration were verified. */
  verifiedBy?: 'ledger' | 'base' | 'unverified';
  /** Outcome of the replay; `not_reached` after an earlier failure. */
  replay: 'ok' | 'failed' | 'not_reached';
  replayMs?: number;
}

export interface FileAnalysis {
  name: string;
  file: string;
  result: AnalysisResult;
}

export interface CheckResult {
  /** True when nothing is at or above the fail level: exit code 0. */
  ok: boolean;
  failLevel: Severity;
  /** Where "applied" came from. */
  appliedFrom: 'production' | 'base' | 'none';
  base?: { ref: string; commit: string };
  /** Where the history was replayed. */
  server: 'embedded' | 'database-url';
  migrations: CheckedMigration[];
  problems: CheckProblem[];
  /** The analysis of each new migration. */
  analysis: FileAnalysis[];
  /** What the new migrations change; null when the replay could not show it (see `diffUnavailable`). */
  schemaDiff: SchemaDiff | null;
  diffUnavailable?: string;
  /** Production's queries (pg_stat_statements or --workload) planned before and after the new migrations; their issues are findings SG501-SG504. */
  workload?: WorkloadCheckResult;
  durationMs: number;
}

const levels: readonly Severity[] = [...severities].reverse();

/**
 * Unsuppressed findings at or above `failLevel`.
 *
 * @example
 * failingFindings(analysis.result.findings, 'warning').map((f) => f.code); // ['SG101']
 */
export function failingFindings(findings: readonly Finding[], failLevel: Severity): Finding[] {
  const threshold = levels.indexOf(failLevel);
  return findings.filter((finding) => !finding.suppressed && levels.indexOf(finding.severity) >= threshold);
}

/**
 * Counts for summary lines: problems, findings per severity, migrations.
 *
 * @example
 * const { problems, errors, warnings } = checkCounts(result);
 */
export function checkCounts(result: CheckResult) {
  const open = result.analysis.flatMap((a) => a.result.findings).filter((f) => !f.suppressed);
  return {
    migrations: result.migrations.length,
    applied: result.migrations.filter((m) => m.status === 'applied').length,
    new: result.migrations.filter((m) => m.status === 'new').length,
    problems: result.problems.length,
    errors: open.filter((f) => f.severity === 'error').length,
    warnings: open.filter((f) => f.severity === 'warning').length,
    infos: open.filter((f) => f.severity === 'info').length,
    failing:
      result.problems.length +
      result.analysis.reduce((n, a) => n + failingFindings(a.result.findings, result.failLevel).length, 0),
  };
}
