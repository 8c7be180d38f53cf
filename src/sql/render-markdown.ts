import { summary } from './render-text.ts';
import type { AnalysisResult, Finding } from './types.ts';

const icons = { error: '🛑', warning: '⚠️', info: 'ℹ️' } as const;

/**
 * The analysis section of a proposal's review report (a pull request body).
 *
 * @example
 * const body = `## Migration analysis\n\n${renderFindingsMarkdown(result)}`;
 */
export function renderFindingsMarkdown(result: AnalysisResult): string {
  const out: string[] = [
    `**Risk class: ${result.riskClass}** — ${summary(result.findings)}, ${result.statements.length} statement(s).`,
    '',
  ];
  const open = result.findings.filter((finding) => !finding.suppressed);
  if (open.length > 0) {
    out.push('| | Code | Line | Finding |', '| --- | --- | --- | --- |');
    for (const finding of open)
      out.push(
        `| ${icons[finding.severity]} | \`${finding.code}\` | ${finding.span.line} | ${cell(finding.message)} |`,
      );
    out.push('');
    for (const finding of open) out.push(...details(finding, result));
  }
  const suppressed = result.findings.filter((finding) => finding.suppressed);
  if (suppressed.length > 0) {
    out.push('### Suppressed in the migration', '');
    for (const finding of suppressed)
      out.push(
        `- \`${finding.code}\` line ${finding.span.line}: ${finding.message} — reason: _${finding.suppressed?.reason}_`,
      );
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function details(finding: Finding, result: AnalysisResult): string[] {
  const statement = finding.statementIndex === null ? undefined : result.statements[finding.statementIndex];
  const lines = [
    `<details><summary>${icons[finding.severity]} <code>${finding.code}</code> line ${finding.span.line}: ${escapeHtml(finding.message)}</summary>`,
    '',
  ];
  if (statement) lines.push(fence(statement.sql), '');
  if (finding.why) lines.push(`**Why:** ${finding.why}`, '');
  lines.push(`**Safer:** ${finding.suggestion}`, '', '</details>', '');
  return lines;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** A code fence longer than any backtick run in the SQL, so the SQL cannot close it. */
function fence(sql: string): string {
  let longest = 0;
  let run = 0;
  for (const char of sql) {
    run = char === '`' ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  const ticks = '`'.repeat(Math.max(3, longest + 1));
  return `${ticks}sql\n${sql}\n${ticks}`;
}
