import pg from 'pg';
import type { Db } from '../database/connection.ts';
import { agentSafeError } from '../database/agent-safe-error.ts';
import { checkRolePrivileges, productionRoleFix, roleRefusal } from '../database/role-privileges.ts';
import { readProductionHead } from '../preview/production-head.ts';
import { redact } from '../database/server-admin.ts';
import { splitStatements } from '../preview/statements.ts';
import { defaultLockRetry, type LockRetryPolicy } from './lock-retry.ts';
import { applyToProduction, type PauseHook } from './production-apply.ts';
import { completedSteps, ensureProductionLedger, findLedgerEntry, inNetlifyLedger } from './production-ledger.ts';
import { acquirePromotionLock, releasePromotionLock } from './production-lock.ts';
import {
  checkIntegrity,
  loadPromotionContext,
  type IntegrityCheck,
  type PromotionContext,
} from './promotion-context.ts';
import { settlePromotion, startPromotion } from './promotion-outcome.ts';
import type { PromotionResult } from './promotion-result.ts';
import { releasePromotion, type PromotionRun } from './promotion-runs.ts';

export interface PromoteDeps {
  db: Db;
  productionUrl: string;
  /** policy.timeouts: each lock is waited for at most lockTimeoutMs, each statement runs at most statementTimeoutMs. */
  timeouts: { lockTimeoutMs: number; statementTimeoutMs: number };
  log?: ((message: string) => void) | undefined;
  now?: (() => Date) | undefined;
  /** Names this worker in claims and the audit trail. */
  worker: string;
  /** How long the claim is renewed for before production is touched. */
  leaseMs: number;
  lockRetry?: Partial<LockRetryPolicy> | undefined;
  /** Longest wait for another promotion on the same production database to finish. */
  lockWaitMs?: number | undefined;
  /** Local review: the checkout whose migration files must still hash to the approved sha256. */
  repositoryDir?: string | undefined;
  /** Review in GitHub: checks that the pull request still is at the approved commit, holding the approved bytes. */
  verifyReview?: ((context: PromotionContext) => Promise<IntegrityCheck[]>) | undefined;
  /** Fault injection for crash tests. */
  pause?: PauseHook | undefined;
}

const defaultLockWaitMs = 60_000;

/**
 * Applies one claimed promotion run to production and records the outcome in
 * the control plane. Before anything is applied, under the per-database
 * promotion lock: the ledger shows whether these bytes are already applied
 * (a re-run after a crash finishes without applying twice), the SQL must hash
 * to what was approved, and production must still be at the head the preview
 * started from (otherwise the proposal goes `stale` and a preview is queued).
 * Never throws for a failed migration; the result says what happened.
 *
 * @example
 * const run = await claimPromotion(db, 'w1', 120_000);
 * if (run) console.log((await promote({ db, productionUrl, timeouts: config.policy.timeouts, worker: 'w1', leaseMs: 120_000 }, run)).outcome);
 */
export async function promote(deps: PromoteDeps, run: PromotionRun): Promise<PromotionResult> {
  const started = performance.now();
  const now = deps.now ?? (() => new Date());
  const actor = `worker:${deps.worker}`;
  const result: PromotionResult = {
    promotionId: run.id,
    proposalId: run.proposalId,
    revision: run.revision,
    attempt: run.attempts,
    outcome: 'promotion_failed',
    sha256: run.sha256,
    checks: [],
    lockRetries: 0,
    timings: { roleCheckMs: 0, lockWaitMs: 0, applyMs: 0, totalMs: 0 },
    startedAt: now().toISOString(),
  };
  const settle = async (outcome: PromotionResult['outcome'], error?: FailureDetails) => {
    result.outcome = outcome;
    if (error) result.error = { ...result.error, ...error };
    result.timings.totalMs = performance.now() - started;
    result.finishedAt = now().toISOString();
    if (!(await deps.db.transaction((tx) => settlePromotion(tx, run, result, actor)))) result.outcome = 'lost';
    deps.log?.(
      `promotion ${run.id} of ${run.proposalId}: ${result.outcome}${result.error ? ` (${result.error.reason}: ${result.error.message})` : ''}`,
    );
    return result;
  };

  const context = await loadPromotionContext(deps.db, run);
  if (!context?.current) return settle('superseded');
  result.name = context.name;

  const client = new pg.Client({ connectionString: deps.productionUrl });
  client.on('error', () => {});
  try {
    await client.connect();
    // Without it a backend keeps running (and holding its locks) after the worker died, until it next talks to the client.
    await client.query(`set client_connection_check_interval = 1000`).catch(() => {});
  } catch (error) {
    await client.end().catch(() => {});
    return settle('promotion_failed', {
      reason: 'production_unreachable',
      message: `cannot connect to ${redact(deps.productionUrl)}: ${(error as Error).message}; retry with \`schemagate promote --retry ${run.proposalId}\``,
    });
  }
  try {
    // Before anything is applied or the proposal moves: a role that could escalate (or does not own
    // the schemas) is refused, and the proposal stays retryable once the URL is fixed.
    const checkStarted = performance.now();
    const refusal = roleRefusal(await checkRolePrivileges(client), 'production', productionRoleFix);
    result.timings.roleCheckMs = performance.now() - checkStarted;
    if (refusal) {
      const message = `${refusal.message} Nothing was applied; then retry with \`schemagate promote --retry ${run.proposalId}\`.`;
      return settle('promotion_failed', { reason: refusal.code, message, problems: refusal.problems });
    }
    const lock = await acquirePromotionLock(client, { waitMs: deps.lockWaitMs ?? defaultLockWaitMs });
    result.timings.lockWaitMs = lock.waitedMs;
    if (!lock.acquired) {
      result.outcome = 'busy';
      await releasePromotion(deps.db, run, result);
      deps.log?.(
        `promotion ${run.id}: another promotion holds production after ${Math.round(lock.waitedMs)} ms; queued again`,
      );
      return result;
    }
    try {
      return await promoteLocked(deps, run, context, client, result, settle, actor);
    } finally {
      await releasePromotionLock(client).catch(() => {});
    }
  } catch (error) {
    // Production failed outside the migration (connection lost, ledger not writable). If the control
    // plane is what failed, settling throws again and the claim expires into a takeover.
    deps.log?.(`promotion ${run.id}: ${(error as Error).message}`);
    const database = error instanceof pg.DatabaseError && error.code ? error : undefined;
    const reason = database ? 'production_error' : 'production_unreachable';
    // The result is served to agents: a Postgres error keeps its SQLSTATE, not the row data it may quote.
    const text = database
      ? `${database.code} ${agentSafeError({ code: database.code!, message: database.message }).message}`
      : (error as Error).message;
    return settle('promotion_failed', {
      reason,
      message: `${text}; production's ledger tells whether the migration committed: retry with \`schemagate promote --retry ${run.proposalId}\``,
    });
  } finally {
    await client.end().catch(() => {});
  }
}

type FailureDetails = Omit<NonNullable<PromotionResult['error']>, 'migration'>;
type Settle = (outcome: PromotionResult['outcome'], error?: FailureDetails) => Promise<PromotionResult>;

async function promoteLocked(
  deps: PromoteDeps,
  run: PromotionRun,
  context: PromotionContext,
  client: pg.Client,
  result: PromotionResult,
  settle: Settle,
  actor: string,
): Promise<PromotionResult> {
  await ensureProductionLedger(client);
  const applied = await findLedgerEntry(client, context.name);
  if (applied?.sha256 === run.sha256) return settle('already_applied');
  if (applied)
    return settle('promotion_failed', {
      reason: 'name_taken',
      message: `production's ledger already has ${context.name} with sha256 ${applied.sha256}, not ${run.sha256}: applied migrations are immutable; propose a new migration instead`,
    });
  if (await inNetlifyLedger(client, context.name)) {
    return settle('promotion_failed', {
      reason: 'name_taken',
      message: `netlify.migrations already lists ${context.name}, applied outside schemagate; production was not changed`,
    });
  }

  result.checks = [
    ...(await checkIntegrity(context, { repositoryDir: deps.repositoryDir })),
    ...((await deps.verifyReview?.(context)) ?? []),
  ];
  const tampered = result.checks.filter((c) => !c.ok);
  if (tampered.length > 0) {
    return settle('promotion_failed', {
      reason: 'tampered',
      message: `refusing to apply: ${tampered.map((c) => c.message).join('; ')}. Nothing was applied; submit a new revision to preview and review it again`,
    });
  }

  const steps = await completedSteps(client, context.name, run.sha256);
  const before = await readProductionHead(client);
  // A step-by-step migration interrupted midway moved the head itself; its recorded steps vouch for it.
  const headOk = before.head === context.previewHead || steps.size > 0;
  result.head = { expected: context.previewHead, actual: before.head, ok: headOk };
  if (!headOk) {
    if (context.status === 'approved') return settle('stale');
    return settle('promotion_failed', {
      reason: 'production_moved',
      message: `production changed since the preview (head ${before.head.slice(0, 12)}, previewed at ${context.previewHead?.slice(0, 12) ?? 'unknown'}); submit a new revision to preview it again`,
    });
  }

  const split = await splitStatements(context.sql);
  if (!split.ok)
    return settle('promotion_failed', {
      reason: 'invalid_sql',
      message: `${split.line}:${split.column} ${split.message}`,
    });
  const control = split.statements.find((s) => s.transactionControl);
  if (control)
    return settle('promotion_failed', {
      reason: 'invalid_sql',
      message: `${control.line}:${control.column} transaction control statements are not allowed: schemagate applies the migration in one transaction itself`,
    });

  if (
    !(await deps.db.transaction((tx) =>
      startPromotion(tx, run, actor, deps.leaseMs, {
        promotion: run.id,
        attempt: run.attempts,
        name: context.name,
        sha256: run.sha256,
      }),
    ))
  ) {
    result.outcome = 'lost';
    return result;
  }
  const apply = await applyToProduction(client, {
    sql: context.sql,
    statements: split.statements,
    ledger: {
      name: context.name,
      sha256: run.sha256,
      proposalId: run.proposalId,
      revision: run.revision,
      approvers: context.approvers,
    },
    timeouts: deps.timeouts,
    retry: { ...defaultLockRetry, ...deps.lockRetry },
    pause: deps.pause,
  });
  result.apply = apply;
  result.lockRetries = apply.lockRetries;
  result.timings.applyMs = apply.durationMs;
  if (apply.ok) return settle('promoted');

  if (apply.mode === 'transaction') {
    const after = await readProductionHead(client);
    result.productionUntouched = after.head === before.head && !(await findLedgerEntry(client, context.name));
  } else {
    result.completedSteps = [...(await completedSteps(client, context.name, run.sha256))].sort((a, b) => a - b);
  }
  const e = apply.error!;
  const where =
    e.statementIndex !== undefined ? ` (statement ${e.statementIndex + 1}, line ${e.line}, column ${e.column})` : '';
  result.error = { reason: 'migration_failed', message: '', migration: e };
  const lockHint =
    e.timeout === 'lock'
      ? `; gave up after ${apply.lockRetries} lock timeouts of ${deps.timeouts.lockTimeoutMs} ms: retry when production is quieter`
      : '';
  return settle('promotion_failed', {
    reason: 'migration_failed',
    message: `${e.code} ${e.message}${where}${lockHint}`,
  });
}
