import type { AnalysisResult } from './types.ts';

const commands = { error: 'error', warning: 'warning', info: 'notice' } as const;

/**
 * GitHub Actions workflow commands, one per unsuppressed finding:
 * `::error file=...,line=..,col=..,endLine=..,endColumn=..,title=CODE::message`.
 *
 * @example
 * io.stdout(renderGithubAnnotations(result, 'netlify/database/migrations/20250101000000_init.sql'));
 */
export function renderGithubAnnotations(result: AnalysisResult, file: string): string {
  return result.findings
    .filter((finding) => !finding.suppressed)
    .map((finding) => {
      const { line, column, endLine, endColumn } = finding.span;
      const properties = [
        `file=${escapeProperty(file)}`,
        `line=${line}`,
        `col=${column}`,
        `endLine=${endLine}`,
        `endColumn=${endColumn}`,
        `title=${escapeProperty(`${finding.code} ${finding.category}`)}`,
      ].join(',');
      return `::${commands[finding.severity]} ${properties}::${escapeData(`${finding.message} Fix: ${finding.suggestion}`)}\n`;
    })
    .join('');
}

// Escaping rules of GitHub's workflow commands (actions/toolkit, command.ts).
function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
