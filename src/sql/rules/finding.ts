/** What a guardrail check found, before it is located in the migration. */
export interface CallFinding {
  code: string;
  message: string;
}
