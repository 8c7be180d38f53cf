import { renderDiffMarkdown } from '../../schema/render.ts';
import type { Finding } from '../../sql/types.ts';
import { checkCounts, failingFindings, type CheckResult } from '../check-result.ts';
import { appliedFromLabel, plural, serverLabel } from './labels.ts';

/** A workflow finds the one comment to update by this line. */
export const checkCommentMarker = '<!-- schemagate-check -->';

// GitHub refuses comment bodies over 65,536 characters.
const maxCommentLength = 65_000;

const icons = { error: '🛑', warning: '⚠️', info: 'ℹ️' } as const;

/**
 * The pull request comment: marker, verdict with counts, history problems,
 * a findings table per new migration (code, line, finding, safer rewrite)
 * and the schema diff the new migrations cause.
 *
 * @example
 * await writeFile('check.md', renderCheckMarkdown(result)); // then `gh api ... -F body=@check.md`
 */
export function renderCheckMarkdown(result: CheckResult): string {
  const counts = checkCounts(result);
  const out = [
    checkCommentMarker,
    `## ${result.ok ? '✅' : '❌'} schemagate check ${result.ok ? 'passed' : 'failed'}`,
    '',
    `${plural(counts.problems, 'history problem')}, ${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}, ${plural(counts.infos, 'info')} (fail level \`${result.failLevel}\`). ` +
      `${plural(counts.migrations, 'migration')}: ${counts.applied} applied ${appliedFromLabel(result)}, ${counts.new} new; replayed on ${serverLabel(result)}.`,
    '',
  ];
  if (result.problems.length > 0) {
    out.push('### History', '', '| | Check | File | Line | Problem | Fix |', '| --- | --- | --- | --- | --- | --- |');
    for (const p of result.problems)
      out.push(
        `| 🛑 | \`${p.code}\` | \`${cell(p.file)}\` | ${p.line ?? ''} | ${cell(p.message)} | ${cell(p.suggestion)} |`,
      );
    out.push('');
  }
  if (result.analysis.length > 0) out.push('### New migrations', '');
  for (const { file, result: analysis } of result.analysis) {
    const failing = new Set(failingFindings(analysis.findings, result.failLevel));
    const open = analysis.findings.filter((f) => !f.suppressed);
    const suppressed = analysis.findings.length - open.length;
    out.push(
      `#### \`${cell(file)}\``,
      '',
      `Risk class **${analysis.riskClass}**, ${plural(analysis.statements.length, 'statement')}${suppressed ? `, ${suppressed} suppressed` : ''}.`,
      '',
    );
    if (open.length === 0) {
      out.push('No findings.', '');
      continue;
    }
    out.push('| | Code | Line | Finding | Safer |', '| --- | --- | --- | --- | --- |');
    for (const f of open) out.push(row(f, failing.has(f)));
    out.push('');
  }
  if (result.schemaDiff)
    out.push(
      renderDiffMarkdown(result.schemaDiff).replace(/^### Schema changes/, '### Schema changes by the new migrations'),
    );
  else out.push('### Schema changes', '', `Not shown: ${result.diffUnavailable ?? 'the replay did not finish'}.`);
  return truncate(`${out.join('\n').trimEnd()}\n`);
}

function row(finding: Finding, failing: boolean): string {
  const mark = failing ? ' (fails)' : '';
  return `| ${icons[finding.severity]} | \`${finding.code}\`${mark} | ${finding.span.line} | ${cell(finding.message)} | ${cell(finding.suggestion)} |`;
}

/** Table cells: no pipes, no line breaks, no HTML. */
function cell(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('|', '\\|')
    .replace(/\r?\n/g, ' ');
}

// The diff comes last, so a cut loses it first; a cut inside a code fence
// leaves it open, which GitHub renders to the end of the comment.
function truncate(markdown: string): string {
  if (markdown.length <= maxCommentLength) return markdown;
  const cut = markdown.lastIndexOf('\n', maxCommentLength - 200);
  return `${markdown.slice(0, cut)}\n\n_Report truncated to fit a comment: run \`schemagate check\` locally, or see the job log, for the rest._\n`;
}
