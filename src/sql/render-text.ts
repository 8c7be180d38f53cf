import type { AnalysisResult, Finding } from './types.ts';

/**
 * Human-readable findings, one block per finding, compiler style (`file:line:col`), and a summary.
 *
 * @example
 * io.stdout(renderFindingsText(analyze(sql, policy), 'migrations/001_init.sql'));
 */
export function renderFindingsText(result: AnalysisResult, fileName: string): string {
  const lines: string[] = [];
  for (const finding of result.findings) {
    const where = `${fileName}:${finding.span.line}:${finding.span.column}`;
    const suppressed = finding.suppressed ? ` (suppressed: ${finding.suppressed.reason})` : '';
    lines.push(`${where}: ${finding.severity} ${finding.code} ${finding.message}${suppressed}`);
    if (!finding.suppressed) lines.push(`  fix: ${finding.suggestion}`);
  }
  lines.push(`${fileName}: ${summary(result.findings)}; risk ${result.riskClass}`);
  return `${lines.join('\n')}\n`;
}

/** "2 errors, 1 warning, 1 suppressed" or "no findings". */
export function summary(findings: readonly Finding[]): string {
  const open = findings.filter((finding) => !finding.suppressed);
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [
    count(open.filter((f) => f.severity === 'error').length, 'error'),
    count(open.filter((f) => f.severity === 'warning').length, 'warning'),
    count(open.filter((f) => f.severity === 'info').length, 'info'),
  ].filter((part) => !part.startsWith('0 '));
  const suppressed = findings.length - open.length;
  if (suppressed > 0) parts.push(`${suppressed} suppressed`);
  return parts.length > 0 ? parts.join(', ') : 'no findings';
}
