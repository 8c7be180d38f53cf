import pg from 'pg';
import { diffSchemas, type SchemaChange, type SchemaDiff } from '../schema/diff.ts';
import { introspectSchema } from '../schema/introspect.ts';
import type { SchemaModel } from '../schema/model.ts';
import { applyMigration, type ApplyResult } from './apply.ts';
import type { BranchInfo, BranchProvider } from './branch-provider.ts';
import { compareReplay, replayHistory, type ReplayResult } from './replay.ts';
import type { WorkloadCheckResult } from './workload-compat.ts';
import { previewWorkload, type WorkloadPreview } from './workload-preview.ts';

export interface PreviewOptions {
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  /** Keep the branch for the reviewer instead of dropping it at the end. */
  keepBranch?: boolean;
}

export interface RunPreviewInput {
  provider: BranchProvider;
  branchName: string;
  sql: string;
  downSql?: string | null;
  /** Migrations production already has, oldest first: the repository's files or production's ledger. */
  history?: Array<{ name: string; sql: string }>;
  /** Server for the empty replay database; the provider's scratch server when absent. */
  emptyServerUrl?: string;
  options: PreviewOptions;
  /** Called with the branch's schema before the migration (production's, as copied): callers derive from it what they need of production's schema. */
  onSchemaBefore?: (schema: SchemaModel) => void;
  /** Production's query shapes to prepare on the migrated branch (workload-preview.ts); not checked when absent. */
  workload?: WorkloadPreview;
}

export type StepName =
  | 'create_branch'
  | 'introspect_before'
  | 'apply'
  | 'introspect_after'
  | 'compatibility'
  | 'replay'
  | 'reversibility'
  | 'cleanup';

export interface PreviewStep {
  name: StepName;
  ok: boolean;
  durationMs: number;
  error?: string;
  /** Why the step did not run. */
  skipped?: string;
}

export interface ReversibilityResult {
  ok: boolean;
  down: ApplyResult;
  /** What up-then-down leaves different from before; empty when down reverses up. */
  remaining: SchemaChange[];
  /** Down ran in a transaction that was rolled back; false when it had to run statement by statement on the branch. */
  rolledBack: boolean;
}

export interface PreviewResult {
  /** The migration applied and every check that ran passed. */
  ok: boolean;
  steps: PreviewStep[];
  branch?: { name: string; kept: boolean; /** Production's head the branch was copied at. */ baseHead?: string };
  apply?: ApplyResult;
  diff?: SchemaDiff;
  replay?: ReplayResult;
  reversibility?: ReversibilityResult;
  /** Production's queries checked against the migrated branch: the issues become findings SG501-SG504. */
  compatibility?: WorkloadCheckResult;
}

/**
 * Previews a migration on a fresh branch: schema before, apply under
 * timeouts as the preview role, schema after and diff, replay of the whole
 * history on an empty database (drift; cached per history, run alongside the
 * branch), and down-migration reversibility.
 * Never throws: infrastructure failures are recorded in the failing step.
 *
 * @example
 * const result = await runPreview({ provider, branchName: 'sg_preview_ab12cd34_r1', sql, downSql,
 *   history, options: { lockTimeoutMs: 2000, statementTimeoutMs: 60_000 } });
 * for (const step of result.steps) console.log(step.name, step.ok, step.error ?? '');
 */
export async function runPreview(input: RunPreviewInput): Promise<PreviewResult> {
  const { provider, options } = input;
  const result: PreviewResult = { ok: false, steps: [] };
  const record = <T>(name: StepName, run: Timed<T>, passed: (value: T) => boolean = () => true): T | undefined => {
    if ('error' in run) {
      result.steps.push({ name, ok: false, durationMs: run.durationMs, error: run.error.message });
      return undefined;
    }
    const ok = passed(run.value);
    result.steps.push({ name, ok, durationMs: run.durationMs, ...(ok ? {} : { error: failure(run.value) }) });
    return run.value;
  };
  const step = async <T>(name: StepName, fn: () => Promise<T>, passed?: (value: T) => boolean) =>
    record(name, await timed(fn), passed);
  const skip = (name: StepName, reason: string) =>
    result.steps.push({ name, ok: true, durationMs: 0, skipped: reason });

  // The replay needs nothing from the branch until the comparison, so it runs alongside the branch's steps.
  const serverUrl = input.emptyServerUrl ?? provider.scratchServerUrl;
  const history = input.history;
  const noReplay = !history
    ? 'no history given'
    : !serverUrl
      ? 'no server for an empty database (emptyServerUrl)'
      : undefined;
  const replaying =
    history && serverUrl ? timed(() => replayHistory({ serverUrl, history, sql: input.sql, options })) : undefined;

  // Production's queries do not depend on the branch either: read them while it is made.
  const reading = input.workload?.read();
  reading?.catch(() => {});
  const workload = input.workload && reading ? { ...input.workload, read: () => reading } : undefined;

  try {
    const branch = await step('create_branch', () => provider.create(input.branchName));
    if (!branch) return result;
    result.branch = { name: branch.name, kept: false, ...(branch.baseHead ? { baseHead: branch.baseHead } : {}) };
    try {
      const before = await step('introspect_before', () => introspect(branch.adminUrl));
      if (!before) return result;
      input.onSchemaBefore?.(before);
      result.apply = await step(
        'apply',
        () => applyMigration(branch.url, input.sql, options),
        (r) => r.ok,
      );
      if (!result.apply?.ok) return result;
      const after = await step('introspect_after', () => introspect(branch.adminUrl));
      if (!after) return result;
      result.diff = diffSchemas(before, after);
      // Before reversibility: a down that cannot run in a transaction changes the branch for real.
      if (workload)
        result.compatibility = await step('compatibility', () => previewWorkload(provider, branch, workload));

      if (!replaying) skip('replay', noReplay!);
      else
        result.replay = record(
          'replay',
          mapTimed(await replaying, (run) => compareReplay(run, after)),
          (r) => r.ok,
        );

      if (!input.downSql) skip('reversibility', 'no down migration');
      else
        result.reversibility = await step(
          'reversibility',
          () => checkReversibility(branch, input.downSql!, before, options),
          (r) => r.ok,
        );

      const checks = [result.replay, result.reversibility].filter((c) => c !== undefined);
      const failedStep = result.steps.some((s) => !s.ok);
      result.ok = !failedStep && checks.every((c) => c.ok);
      return result;
    } finally {
      if (options.keepBranch) result.branch.kept = true;
      else await step('cleanup', () => provider.drop(branch.name));
    }
  } finally {
    // A replay whose branch failed is not reported, but never left running; its scratch database is dropped meanwhile.
    const replayed = await replaying;
    if (replayed && 'value' in replayed) await replayed.value.dropped;
  }
}

type Timed<T> = { value: T; durationMs: number } | { error: Error; durationMs: number };

/** Runs `fn` and records its duration; never rejects. */
async function timed<T>(fn: () => Promise<T>): Promise<Timed<T>> {
  const started = performance.now();
  try {
    return { value: await fn(), durationMs: performance.now() - started };
  } catch (error) {
    return { error: error as Error, durationMs: performance.now() - started };
  }
}

function mapTimed<T, U>(run: Timed<T>, fn: (value: T) => U): Timed<U> {
  return 'error' in run ? run : { value: fn(run.value), durationMs: run.durationMs };
}

/**
 * Down runs in a transaction that is rolled back after introspection, so a
 * kept branch still shows the migration applied. A down that cannot run in a
 * transaction (CONCURRENTLY) runs for real on the branch.
 */
async function checkReversibility(
  branch: BranchInfo,
  downSql: string,
  before: SchemaModel,
  options: PreviewOptions,
): Promise<ReversibilityResult> {
  let afterDown: SchemaModel | undefined;
  const down = await applyMigration(branch.url, downSql, {
    ...options,
    rollback: true,
    inspect: async (client) => void (afterDown = await introspectSchema(client)),
  });
  const rolledBack = down.mode === 'transaction';
  if (!down.ok) return { ok: false, down, remaining: [], rolledBack };
  afterDown ??= await introspect(branch.adminUrl);
  const remaining = diffSchemas(before, afterDown).changes;
  return { ok: remaining.length === 0, down, remaining, rolledBack };
}

async function introspect(url: string): Promise<SchemaModel> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', () => {});
  try {
    return await introspectSchema(pool);
  } finally {
    await pool.end();
  }
}

function failure(value: unknown): string {
  const failed = (value as { failed?: { name: string; apply: ApplyResult } }).failed;
  if (failed?.apply.error) return `${failed.name}: ${failure(failed.apply)}`;
  const down = (value as { down?: ApplyResult }).down;
  if (down?.error) return `down: ${failure(down)}`;
  const error = (value as { error?: { message?: string; line?: number; column?: number } }).error;
  if (error?.message) return error.line ? `${error.line}:${error.column}: ${error.message}` : error.message;
  const remaining =
    (value as { remaining?: SchemaChange[]; drift?: SchemaChange[] }).remaining ??
    (value as { drift?: SchemaChange[] }).drift;
  if (remaining)
    return `${remaining.length} difference(s): ${remaining
      .slice(0, 5)
      .map((c) => `${c.kind} ${c.id}`)
      .join(', ')}`;
  return 'failed';
}
