import type { RoleProblem } from '../database/role-privileges.ts';
import type { MigrationError } from '../preview/apply-result.ts';
import type { ProductionApplyResult } from './production-apply.ts';
import type { IntegrityCheck } from './promotion-context.ts';

/**
 * promoted: applied now. already_applied: the ledger already had these bytes
 * (a re-run after a crash). promotion_failed: not applied, or (step by step)
 * partly. stale: production moved since the preview; a new preview is queued.
 * superseded: the proposal moved on; nothing was done. busy: another
 * promotion held production; the run went back to the queue. lost: another
 * worker took the run over; its outcome counts.
 */
export type PromotionOutcome =
  'promoted' | 'already_applied' | 'promotion_failed' | 'stale' | 'superseded' | 'busy' | 'lost';

export type FailureReason =
  | 'tampered'
  | 'name_taken'
  | 'production_moved'
  | 'migration_failed'
  | 'invalid_sql'
  | 'production_unreachable'
  | 'production_error'
  /** PRODUCTION_DATABASE_URL's role could escalate: see role-privileges.ts. */
  | 'production_role_too_powerful'
  /** PRODUCTION_DATABASE_URL's role does not own the application's schemas. */
  | 'production_role_not_owner';

/** What one promotion run did, step by step; stored in `promotions.result`. */
export interface PromotionResult {
  promotionId: string;
  proposalId: string;
  revision: number;
  /** The claim's attempt number (fencing token). */
  attempt: number;
  outcome: PromotionOutcome;
  name?: string;
  sha256: string;
  checks: IntegrityCheck[];
  head?: { expected: string | null; actual: string; ok: boolean };
  apply?: ProductionApplyResult;
  lockRetries: number;
  timings: { roleCheckMs: number; lockWaitMs: number; applyMs: number; totalMs: number };
  /** After a failed transaction: production's head and ledger are as before the attempt. */
  productionUntouched?: boolean;
  /** Step-by-step migrations: statement indexes committed in production so far. */
  completedSteps?: number[];
  previewQueued?: string;
  error?: { reason: FailureReason; message: string; migration?: MigrationError; problems?: RoleProblem[] };
  startedAt: string;
  finishedAt?: string;
}
