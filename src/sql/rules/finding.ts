import { ruleByCode, type RuleCode } from '../catalog.ts';
import type { Policy } from '../policy.ts';
import type { Finding, Severity, Span } from '../types.ts';

/** What a guardrail check found, before it is located in the migration. */
export interface CallFinding {
  code: RuleCode;
  message: string;
}

/**
 * A located finding as the policy has it: the severity the policy sets (a locked rule's cannot be
 * changed), else the one the finder gives, else the rule's; its category, why and suggestion;
 * undefined when the policy turns the rule off.
 *
 * @example
 * ruleFinding({ code: 'SG101', message: 'CREATE INDEX locks writes.', statementIndex: 0, span }, policy);
 */
export function ruleFinding(
  found: {
    code: RuleCode;
    message: string;
    statementIndex: number | null;
    span: Span;
    severity?: Severity | undefined;
  },
  policy: Policy,
): Finding | undefined {
  const rule = ruleByCode(found.code);
  const configured = rule.locked ? undefined : policy.rules[found.code];
  if (configured === 'off') return undefined;
  return {
    code: found.code,
    severity: configured ?? found.severity ?? rule.severity,
    category: rule.category,
    message: found.message,
    statementIndex: found.statementIndex,
    span: found.span,
    suggestion: rule.suggestion,
    why: rule.why,
  };
}
