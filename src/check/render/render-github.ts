import { renderGithubAnnotations } from '../../sql/render-github.ts';
import type { CheckResult } from '../check-result.ts';

/**
 * GitHub Actions workflow commands: an `::error` per history problem
 * (title = its check code), then the findings of each new migration as
 * `lint --format github` prints them.
 *
 * @example
 * io.stdout(renderCheckGithub(result));
 * // ::error file=netlify/database/migrations/0001_a.sql,line=3,col=1,title=applied_modified::0001_a is already applied ...
 */
export function renderCheckGithub(result: CheckResult): string {
  const problems = result.problems.map((p) => {
    const properties = [
      `file=${escapeProperty(p.file)}`,
      ...(p.line ? [`line=${p.line}`, `col=${p.column ?? 1}`] : []),
      `title=${escapeProperty(p.code)}`,
    ];
    return `::error ${properties.join(',')}::${escapeData(`${p.message} Fix: ${p.suggestion}`)}\n`;
  });
  return [...problems, ...result.analysis.map((a) => renderGithubAnnotations(a.result, a.file))].join('');
}

// Escaping rules of GitHub's workflow commands (actions/toolkit, command.ts), as in src/sql/render-github.ts.
function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
