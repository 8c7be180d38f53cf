import type { PreviewResult } from './preview.ts';

const sources = {
  pg_stat_statements: 'pg_stat_statements (most called first)',
  file: 'the workload file',
  none: 'no source',
} as const;

/**
 * The "Production queries" part of a review report: what the workload check
 * read and checked, and why it did not run. The issues themselves are
 * findings (SG501-SG504) in the findings section.
 *
 * @example
 * lines.push('#### Production queries', '', ...workloadReportLines(preview), '');
 */
export function workloadReportLines(preview: PreviewResult): string[] {
  const step = preview.steps.find((s) => s.name === 'compatibility');
  const result = preview.compatibility;
  if (!result) {
    if (step?.error) return [`The check did not complete: ${step.error}`];
    return ['_Not checked: no workload source (`preview.workload`)._'];
  }
  if (result.checked === 0) return [`_No production query to check${result.note ? `: ${result.note}` : ''}._`];
  const breaking = result.issues.filter((i) => i.code === 'SG501' || i.code === 'SG502').length;
  const slower = result.issues.length - breaking;
  const out = [
    `Prepared ${result.checked} production ${result.checked === 1 ? 'query' : 'queries'} from ${sources[result.source]} on the migrated branch${result.compared ? ' and on a copy from before the migration' : ''}, without running them ` +
      `(${result.perStatementMs.toFixed(1)} ms of planning per query): **${breaking} breaking**, ${slower} slower plan${slower === 1 ? '' : 's'}` +
      (result.issues.length > 0 ? ' (findings SG501-SG504 above).' : '.'),
  ];
  if (result.skipped.length > 0)
    out.push('', `${result.skipped.length} not checked: ${summarizeSkipped(result.skipped.map((s) => s.reason))}.`);
  if (result.note) out.push('', `_${result.note}_`);
  return out;
}

function summarizeSkipped(reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const reason of reasons) {
    const key = reason.startsWith('fails before the migration')
      ? 'failing before the migration too'
      : reason.replace(/^not checked: /, '').replace(/ \(.*$/, '');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([reason, n]) => `${n} ${reason}`).join('; ');
}
