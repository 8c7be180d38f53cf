import type { RuleMeta } from '../types.ts';

/** Findings about the migration file itself rather than one kind of statement. */
export const analyzerRules = [
  {
    code: 'SG001',
    name: 'syntax-error',
    // What the analyzer cannot read is forbidden: another server version may read it differently.
    category: 'guardrail',
    severity: 'error',
    title: 'Migration does not parse',
    why: 'No rule can check a file the parser cannot read, and another Postgres version may read it differently, so it is forbidden until it parses.',
    suggestion: 'Fix the SQL at the reported line and column, then run `schemagate lint` again.',
    locked: true,
  },
  {
    code: 'SG002',
    name: 'suppression-without-reason',
    category: 'hygiene',
    severity: 'error',
    title: 'Suppression comment without a reason',
    why: 'A reviewer must be able to see why a finding was accepted; a bare suppression hides a risk silently.',
    suggestion: 'Write `-- schemagate:allow <code> <reason>`, e.g. `-- schemagate:allow SG101 table holds 40 rows`.',
    locked: true,
  },
  {
    code: 'SG003',
    name: 'invalid-suppression',
    category: 'hygiene',
    severity: 'warning',
    title: 'Suppression names an unknown or unsuppressible code',
    why: 'Guardrail findings can never be suppressed from the SQL, and an unknown code suppresses nothing.',
    suggestion: 'Use a code listed in docs/rules.md; guardrail statements must be removed from the migration.',
  },
  {
    code: 'SG004',
    name: 'unused-suppression',
    category: 'hygiene',
    severity: 'info',
    title: 'Suppression matches no finding',
    why: 'A stale suppression would silently cover a future, different risk in the same statement.',
    suggestion: 'Remove the comment, or move it directly above the statement it is meant for.',
  },
] as const satisfies readonly RuleMeta<string>[];
