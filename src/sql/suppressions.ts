import { isRuleCode, lockedCodes, type RuleCode } from './catalog.ts';
import type { ParsedStatement, SqlComment } from './parse.ts';

export interface Suppression {
  codes: RuleCode[];
  reason: string;
  /** The statement it applies to: the one it sits in, or the next one; null after the last statement. */
  statementIndex: number | null;
  start: number;
  end: number;
}

/** A problem with a suppression comment itself, reported as SG002 / SG003 / SG004. */
export interface SuppressionProblem {
  code: 'SG002' | 'SG003' | 'SG004';
  message: string;
  statementIndex: number | null;
  start: number;
  end: number;
}

const marker = 'schemagate:allow';

/**
 * Find `-- schemagate:allow <code>[,<code>] <reason>` comments among the scanner's comment tokens.
 *
 * @example
 * findSuppressions(parsed.comments, parsed.statements);
 */
export function findSuppressions(comments: readonly SqlComment[], statements: readonly ParsedStatement[]) {
  const suppressions: Suppression[] = [];
  const problems: SuppressionProblem[] = [];
  for (const comment of comments) {
    const text = commentText(comment.text);
    if (!text.startsWith(marker)) continue;
    const target = statements.find((statement) => statement.end > comment.start);
    const statementIndex = target ? target.index : null;
    const place = { statementIndex, start: comment.start, end: comment.end };
    // Splitting one comment's own text into code and reason; the SQL itself is never matched this way.
    const match = /^schemagate:allow\s+(\S+)(?:\s+(.*\S))?\s*$/s.exec(text);
    const codes = match?.[1]?.split(',').filter(Boolean) ?? [];
    const reason = match?.[2]?.trim() ?? '';
    if (codes.length === 0 || reason === '') {
      problems.push({
        ...place,
        code: 'SG002',
        message: `Suppression "${text}" needs a code and a reason: -- schemagate:allow <code> <reason>.`,
      });
      continue;
    }
    const usable = codes.filter((code): code is RuleCode => {
      if (!isRuleCode(code)) {
        problems.push({ ...place, code: 'SG003', message: `Suppression names unknown rule ${code}.` });
        return false;
      }
      if (lockedCodes.has(code)) {
        problems.push({
          ...place,
          code: 'SG003',
          message: `${code} cannot be suppressed: guardrail findings always stand.`,
        });
        return false;
      }
      return true;
    });
    if (usable.length > 0) suppressions.push({ ...place, codes: usable, reason });
  }
  return { suppressions, problems };
}

function commentText(raw: string): string {
  const body = raw.startsWith('--') ? raw.slice(2) : raw.slice(2, raw.endsWith('*/') ? -2 : undefined);
  return body.trim();
}
