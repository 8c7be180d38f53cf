import type { RuleCode } from '../catalog.ts';

/** What a guardrail check found, before it is located in the migration. */
export interface CallFinding {
  code: RuleCode;
  message: string;
}
