import { analyzerRules } from './catalog/analyzer.ts';
import { destructiveRules } from './catalog/destructive.ts';
import { guardrailRules } from './catalog/guardrails.ts';
import { hygieneRules } from './catalog/hygiene.ts';
import { lockRules } from './catalog/locks.ts';
import { workloadRules } from './catalog/workload.ts';
import type { RuleMeta } from './types.ts';

const rules = [
  ...analyzerRules,
  ...lockRules,
  ...destructiveRules,
  ...guardrailRules,
  ...hygieneRules,
  ...workloadRules,
] as const;

/** A rule's code (`SG101`...), as the catalog defines them: a typo in a rule or a test does not compile. */
export type RuleCode = (typeof rules)[number]['code'];

/** Every rule, in code order. Codes are stable: never renumber or reuse one. */
export const ruleCatalog: readonly RuleMeta[] = rules;

export const ruleCodes = ruleCatalog.map((rule) => rule.code) as [RuleCode, ...RuleCode[]];

const byCode = new Map<string, RuleMeta>(ruleCatalog.map((rule) => [rule.code, rule]));

/**
 * Whether `code` names a rule of the catalog; for codes read from outside
 * (suppression comments, policy files, stored findings).
 *
 * @example
 * isRuleCode('SG101'); // true
 * isRuleCode('SG999'); // false
 */
export function isRuleCode(code: string): code is RuleCode {
  return byCode.has(code);
}

/**
 * Look up a rule's metadata by code: always found for a `RuleCode`, maybe
 * not for a code read from outside.
 *
 * @example
 * ruleByCode('SG101').title; // "CREATE INDEX without CONCURRENTLY on an existing table"
 */
export function ruleByCode(code: RuleCode): RuleMeta {
  return byCode.get(code)!;
}

/** Codes that can never be turned off, lowered or suppressed. */
export const lockedCodes: ReadonlySet<RuleCode> = new Set(
  ruleCatalog.filter((rule) => rule.locked).map((rule) => rule.code),
);
