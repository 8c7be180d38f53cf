import pg from 'pg';
import { executeOne, pinTokenization } from '../database/statement-session.ts';
import { toMigrationError, type MigrationError } from '../preview/apply-result.ts';
import type { MigrationStatement } from '../preview/statements.ts';
import { concurrentIndexTarget, dropInvalidIndex, indexState } from './concurrent-index.ts';
import { withLockRetry, type AttemptRecord, type LockRetryPolicy } from './lock-retry.ts';
import { completedSteps, recordStep, writeLedgerRows, type LedgerEntry } from './production-ledger.ts';

/** Where a test (or an operator's drill) may stop a promotion to simulate a crash. */
export type PromotionPoint = 'before_apply' | 'before_commit' | 'after_commit' | 'after_step';
export type PauseHook = (point: PromotionPoint, detail: { statementIndex?: number }) => Promise<void>;

export interface ApplyPlan {
  sql: string;
  statements: MigrationStatement[];
  ledger: Omit<LedgerEntry, 'durationMs'>;
  timeouts: { lockTimeoutMs: number; statementTimeoutMs: number };
  retry: LockRetryPolicy;
  pause?: PauseHook | undefined;
}

export interface StepRecord {
  index: number;
  line: number;
  column: number;
  kind: string;
  text: string;
  /** skipped: completed by an earlier, interrupted run (step-by-step only); rolled_back: ran, then its transaction failed. */
  status: 'applied' | 'skipped' | 'failed' | 'pending' | 'rolled_back';
  durationMs: number;
  attempts: AttemptRecord[];
  /** A concurrent index build left INVALID by an earlier attempt, dropped before this one. */
  droppedInvalidIndex?: string;
  /** The index was already built (valid) by an interrupted run: recorded without building it again. */
  foundValidIndex?: string;
}

export interface ProductionApplyResult {
  ok: boolean;
  mode: 'transaction' | 'steps';
  /** Whether production changed: never after a failed transaction; after a failed step, if earlier steps completed. */
  committed: boolean;
  durationMs: number;
  /** Tries of the whole transaction (transaction mode). */
  attempts: AttemptRecord[];
  /** Tries that gave up on a lock, over all statements. */
  lockRetries: number;
  steps: StepRecord[];
  error?: MigrationError;
}

/**
 * Applies a verified migration to production and writes both ledger rows.
 * A transactional migration runs in ONE transaction with its ledger rows,
 * retried as a whole when a lock is not granted within `lock_timeout`. A
 * migration with statements Postgres refuses in a transaction runs step by
 * step, each recorded in `schemagate.ledger_steps`, so a re-run resumes after
 * the last completed step; the ledger rows follow the last step.
 * Never throws for a failed migration; throws when production is unreachable.
 *
 * @example
 * const result = await applyToProduction(client, { sql, statements, ledger, timeouts: { lockTimeoutMs: 2000, statementTimeoutMs: 60_000 }, retry: defaultLockRetry });
 */
export async function applyToProduction(client: pg.ClientBase, plan: ApplyPlan): Promise<ProductionApplyResult> {
  const started = performance.now();
  await pinTokenization(client);
  const transactional = plan.statements.every((s) => s.transactional);
  const outcome = transactional ? await inTransaction(client, plan) : await stepByStep(client, plan);
  const lockRetries = [...outcome.attempts, ...outcome.steps.flatMap((s) => s.attempts)].filter(
    (a) => a.lockTimeout,
  ).length;
  return {
    ...outcome,
    mode: transactional ? 'transaction' : 'steps',
    lockRetries,
    durationMs: performance.now() - started,
  };
}

type Outcome = Pick<ProductionApplyResult, 'ok' | 'committed' | 'attempts' | 'steps' | 'error'>;

async function inTransaction(client: pg.ClientBase, plan: ApplyPlan): Promise<Outcome> {
  const attempts: AttemptRecord[] = [];
  let steps = plan.statements.map((s) => step(s, 'pending'));
  let failedAt: MigrationStatement | undefined;
  await plan.pause?.('before_apply', {});
  try {
    await withLockRetry(plan.retry, attempts, async () => {
      steps = plan.statements.map((s) => step(s, 'pending'));
      const began = performance.now();
      await client.query('begin');
      try {
        await client.query(
          `set local lock_timeout = ${Math.round(plan.timeouts.lockTimeoutMs)}; set local statement_timeout = ${Math.round(plan.timeouts.statementTimeoutMs)}`,
        );
        for (const statement of plan.statements) {
          failedAt = statement;
          const t = performance.now();
          await executeOne(client, statement.text);
          steps[statement.index] = { ...step(statement, 'applied'), durationMs: performance.now() - t };
        }
        failedAt = undefined;
        await ledgerSearchPath(client);
        await writeLedgerRows(client, { ...plan.ledger, durationMs: performance.now() - began });
        await plan.pause?.('before_commit', {});
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => {});
        if (failedAt) steps[failedAt.index] = step(failedAt, 'failed');
        throw error;
      }
    });
  } catch (error) {
    const rolledBack = steps.map((s) => (s.status === 'applied' ? { ...s, status: 'rolled_back' as const } : s));
    return {
      ok: false,
      committed: false,
      attempts,
      steps: rolledBack,
      error: migrationError(error, plan.sql, failedAt),
    };
  }
  await plan.pause?.('after_commit', {});
  return { ok: true, committed: true, attempts, steps };
}

async function stepByStep(client: pg.ClientBase, plan: ApplyPlan): Promise<Outcome> {
  const { name, sha256 } = plan.ledger;
  const done = await completedSteps(client, name, sha256);
  const steps = plan.statements.map((s) => step(s, done.has(s.index) ? 'skipped' : 'pending'));
  const started = performance.now();
  await plan.pause?.('before_apply', {});
  // Outside a transaction the timeouts must be session settings.
  await client.query(
    `set lock_timeout = ${Math.round(plan.timeouts.lockTimeoutMs)}; set statement_timeout = ${Math.round(plan.timeouts.statementTimeoutMs)}`,
  );
  for (const statement of plan.statements) {
    if (done.has(statement.index)) continue;
    const record = steps[statement.index]!;
    const t = performance.now();
    try {
      await withLockRetry(plan.retry, record.attempts, async () => {
        if (statement.transactional) {
          await client.query('begin');
          try {
            await executeOne(client, statement.text);
            await recordStep(client, name, sha256, statement.index);
            await client.query('commit');
          } catch (error) {
            await client.query('rollback').catch(() => {});
            throw error;
          }
          return;
        }
        const target = await concurrentIndexTarget(statement.text);
        const state = target ? await indexState(client, target) : 'missing';
        if (target && state === 'valid') {
          // Built by a run that died before recording the step.
          record.foundValidIndex = target.name;
        } else {
          if (target && state === 'invalid') {
            await dropInvalidIndex(client, target);
            record.droppedInvalidIndex = target.name;
          }
          await executeOne(client, statement.text);
        }
        await recordStep(client, name, sha256, statement.index);
      });
    } catch (error) {
      record.status = 'failed';
      record.durationMs = performance.now() - t;
      const committed = steps.some((s) => s.status === 'applied' || s.status === 'skipped');
      return { ok: false, committed, attempts: [], steps, error: migrationError(error, plan.sql, statement) };
    }
    record.status = 'applied';
    record.durationMs = performance.now() - t;
    await plan.pause?.('after_step', { statementIndex: statement.index });
  }
  await client.query('begin');
  try {
    await ledgerSearchPath(client);
    await writeLedgerRows(client, { ...plan.ledger, durationMs: performance.now() - started });
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    return { ok: false, committed: true, attempts: [], steps, error: migrationError(error, plan.sql, undefined) };
  }
  await plan.pause?.('after_commit', {});
  return { ok: true, committed: true, attempts: [], steps };
}

/**
 * The ledger rows are written on the session that ran the migration: resolve their names and
 * operators in pg_catalog only, never in a schema the migration could have filled.
 */
async function ledgerSearchPath(client: pg.ClientBase): Promise<void> {
  await client.query('set local search_path = pg_catalog, pg_temp');
}

function step(statement: MigrationStatement, status: StepRecord['status']): StepRecord {
  const { index, line, column, kind, text } = statement;
  return { index, line, column, kind, text, status, durationMs: 0, attempts: [] };
}

/** A Postgres error located in the migration file; anything else (a lost connection) is not the migration's fault and is rethrown. */
function migrationError(error: unknown, sql: string, statement: MigrationStatement | undefined): MigrationError {
  if (!(error instanceof pg.DatabaseError) || !error.code) throw error;
  if (statement) return toMigrationError(error, sql, statement);
  return { code: error.code, message: `writing the ledger rows failed: ${error.message}`, line: 1, column: 1 };
}
