import type { CheckResult } from '../check-result.ts';

/** "per production's ledger", "at origin/main (1a2b3c4)", or "with no --base or production URL". */
export function appliedFromLabel(result: CheckResult): string {
  if (result.appliedFrom === 'production') return "per production's ledger";
  if (result.base) return `at ${result.base.ref} (${result.base.commit.slice(0, 7)})`;
  return 'with no --base or production URL';
}

export const serverLabel = (result: CheckResult) =>
  result.server === 'embedded' ? 'an embedded Postgres 18' : '--database-url';

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
