import { analyzerRules } from './catalog/analyzer.ts';
import { destructiveRules } from './catalog/destructive.ts';
import { guardrailRules } from './catalog/guardrails.ts';
import { hygieneRules } from './catalog/hygiene.ts';
import { lockRules } from './catalog/locks.ts';
import { workloadRules } from './catalog/workload.ts';
import type { RuleMeta } from './types.ts';

/** Every rule, in code order. Codes are stable: never renumber or reuse one. */
export const ruleCatalog: readonly RuleMeta[] = [
  ...analyzerRules,
  ...lockRules,
  ...destructiveRules,
  ...guardrailRules,
  ...hygieneRules,
  ...workloadRules,
];

export const ruleCodes = ruleCatalog.map((rule) => rule.code) as [string, ...string[]];

const byCode = new Map(ruleCatalog.map((rule) => [rule.code, rule]));

/**
 * Look up a rule's metadata by code.
 *
 * @example
 * ruleByCode('SG101')?.title; // "CREATE INDEX without CONCURRENTLY on an existing table"
 */
export function ruleByCode(code: string): RuleMeta | undefined {
  return byCode.get(code);
}

/** Codes that can never be turned off, lowered or suppressed. */
export const lockedCodes: ReadonlySet<string> = new Set(
  ruleCatalog.filter((rule) => rule.locked).map((rule) => rule.code),
);
