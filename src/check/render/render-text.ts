import { renderDiffText } from '../../schema/render.ts';
import { renderFindingsText } from '../../sql/render-text.ts';
import { checkCounts, type CheckResult } from '../check-result.ts';
import { appliedFromLabel, plural, serverLabel } from './labels.ts';

/**
 * The human report: compiler-style lines (`file:line:col: error code message`),
 * the findings of each new migration, the schema diff and a verdict.
 *
 * @example
 * io.stdout(renderCheckText(await runCheck({ dir: '.', base: 'origin/main' })));
 */
export function renderCheckText(result: CheckResult): string {
  const counts = checkCounts(result);
  const lines = [
    `schemagate check: ${plural(counts.migrations, 'migration')} (${counts.applied} applied ${appliedFromLabel(result)}, ${counts.new} new), replayed on ${serverLabel(result)}`,
  ];
  for (const problem of result.problems) {
    const where = problem.line ? `${problem.file}:${problem.line}:${problem.column ?? 1}` : problem.file;
    lines.push(`${where}: error ${problem.code} ${problem.message}`, `  fix: ${problem.suggestion}`);
  }
  const text = [`${lines.join('\n')}\n`];
  for (const { file, result: analysis } of result.analysis) text.push(renderFindingsText(analysis, file));
  if (result.schemaDiff)
    text.push(`Schema changes by the new migrations:\n${indent(renderDiffText(result.schemaDiff))}\n`);
  else text.push(`Schema changes: not shown, ${result.diffUnavailable ?? 'the replay did not finish'}.\n`);
  const verdict = result.ok ? 'passed' : 'FAILED';
  text.push(
    `${verdict}: ${plural(counts.problems, 'history problem')}, ${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}, ${plural(counts.infos, 'info')} (fail level ${result.failLevel}) in ${(result.durationMs / 1000).toFixed(1)} s\n`,
  );
  return text.join('');
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
