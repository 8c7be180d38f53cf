import { stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError, PreviewError } from '../errors.ts';
import type { Severity } from '../sql/types.ts';
import { analyzeNewMigrations } from './analyze-new-migrations.ts';
import { failingFindings, type CheckProblem, type CheckResult } from './check-result.ts';
import { loadCheckPolicy } from './check-policy.ts';
import { readBaseMigrations, repositoryPrefix, type BaseMigrations } from './git-base.ts';
import { checkHistory, type AppliedSource } from './history-checks.ts';
import { readWorkingTreeMigrations } from './migration-listing.ts';
import { readProductionLedger } from './production-ledger.ts';
import { replayMigrations, type ReplayOutcome } from './replay-migrations.ts';
import { withScratchServer } from './scratch-server.ts';
import { withWorkloadFindings } from '../preview/workload-findings.ts';
import { replayWorkloadCheck } from '../preview/workload-replay.ts';

export interface CheckOptions {
  /** The repository checkout holding netlify/database/migrations. */
  dir: string;
  /** Git ref whose migrations count as applied (unless productionUrl is given; then a fallback for byte checks). */
  base?: string;
  /** Production: its netlify.migrations ledger says what is applied, schemagate.ledger what the bytes were. */
  productionUrl?: string;
  /** A server to replay on, where a scratch database may be created; an embedded Postgres 18 otherwise. */
  databaseUrl?: string;
  /** schemagate.config.json; `<dir>/schemagate.config.json` when it exists otherwise. */
  configPath?: string;
  /** Production's query shapes as a workload file (see workload-source.ts); pg_stat_statements of productionUrl comes first. */
  workloadFile?: string;
  /** Overrides the policy's failLevel. */
  failLevel?: Severity;
  onProgress?: (message: string) => void;
}

/**
 * Checks the migration history of a repository for CI: names Netlify would
 * skip, duplicate or out-of-order prefixes, applied migrations changed or
 * deleted, a replay of the whole history on an empty database, and the
 * analysis and schema diff of the new migrations. Returns the result;
 * throws AppError `configuration_error` (bad dir, ref or config) or
 * `unavailable` (a database cannot be reached).
 *
 * @example
 * const result = await runCheck({ dir: '.', base: 'origin/main' });
 * if (!result.ok) console.log(result.problems.map((p) => `${p.file}: ${p.message}`));
 */
export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => {});
  const dir = path.resolve(options.dir);
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw new AppError('configuration_error', `--dir ${options.dir} is not a directory`);
  const policy = await loadCheckPolicy(dir, options.configPath);
  const failLevel = options.failLevel ?? policy.failLevel;

  const listing = await readWorkingTreeMigrations(dir);
  const base = options.base === undefined ? undefined : await readBaseMigrations(dir, options.base);
  const prefix = await repositoryPrefix(dir);
  const applied = await appliedSource(options.productionUrl, base);
  const { migrations, problems } = checkHistory(listing, applied);

  const files = migrations.map((m) => ({
    name: m.name,
    path: m.path,
    sql: m.bytes.toString('utf8'),
    status: m.status,
  }));
  progress(`replaying ${files.length} migration(s) (${migrations.filter((m) => m.status === 'new').length} new)`);
  const workload = await replayWorkloadCheck(
    {
      ...(options.productionUrl ? { productionUrl: options.productionUrl } : {}),
      ...(options.workloadFile ? { file: options.workloadFile } : {}),
    },
    policy,
  );
  let replay: ReplayOutcome;
  let server: CheckResult['server'];
  try {
    ({ replay, server } = await withScratchServer(options.databaseUrl, async (scratch) => {
      progress(scratch.kind === 'embedded' ? 'started an embedded Postgres 18' : 'using --database-url');
      return {
        replay: await replayMigrations(scratch.url, files, policy.timeouts, workload?.around),
        server: scratch.kind,
      };
    }));
  } catch (error) {
    if (error instanceof PreviewError) throw new AppError('unavailable', `replay server: ${error.message}`);
    throw error;
  }
  if (replay.failure)
    problems.push(applyFailed(replay.failure, migrations.find((m) => m.name === replay.failure!.name)!.status));

  const analysis = analyzeNewMigrations(
    files.filter((f) => f.status === 'new'),
    policy,
    replay.before,
  );
  // Production's queries break on the new migrations together: their findings go with the last one.
  const compatibility = workload?.result();
  const last = analysis.at(-1);
  if (last && compatibility) last.result = withWorkloadFindings(last.result, compatibility, policy);
  const steps = new Map(replay.steps.map((s) => [s.name, s]));
  const at = (file: string) => `${prefix}${file}`;
  const result: CheckResult = {
    ok: false,
    failLevel,
    appliedFrom: options.productionUrl ? 'production' : base ? 'base' : 'none',
    ...(base ? { base: { ref: base.ref, commit: base.commit } } : {}),
    server,
    migrations: migrations.map((m) => ({
      name: m.name,
      file: at(m.path),
      order: m.order,
      sha256: m.sha256,
      status: m.status,
      ...(m.verifiedBy ? { verifiedBy: m.verifiedBy } : {}),
      replay: steps.get(m.name)?.outcome ?? 'not_reached',
      ...(steps.get(m.name)?.durationMs !== undefined ? { replayMs: Math.round(steps.get(m.name)!.durationMs!) } : {}),
    })),
    problems: problems.map((p) => ({ ...p, file: at(p.file) })),
    analysis: analysis.map((a) => ({ ...a, file: at(a.file) })),
    schemaDiff: replay.diff,
    ...(replay.diffUnavailable ? { diffUnavailable: replay.diffUnavailable } : {}),
    ...(compatibility ? { workload: compatibility } : {}),
    durationMs: 0,
  };
  result.ok =
    result.problems.length === 0 &&
    result.analysis.every((a) => failingFindings(a.result.findings, failLevel).length === 0);
  result.durationMs = Math.round(performance.now() - started);
  return result;
}

async function appliedSource(
  productionUrl: string | undefined,
  base: BaseMigrations | undefined,
): Promise<AppliedSource> {
  const baseFiles = base ? new Map(base.files.map((f) => [f.name, f])) : undefined;
  if (productionUrl) {
    const ledger = await readProductionLedger(productionUrl);
    return {
      names: ledger.applied,
      ...(ledger.sha256 ? { ledger: ledger.sha256 } : {}),
      ...(baseFiles ? { base: baseFiles } : {}),
    };
  }
  return baseFiles ? { names: new Set(baseFiles.keys()), base: baseFiles } : { names: new Set() };
}

function applyFailed(failure: NonNullable<ReplayOutcome['failure']>, status: 'applied' | 'new'): CheckProblem {
  const { error } = failure;
  const extra = [error.detail, error.hint && `Hint: ${error.hint}`].filter(Boolean).join(' ');
  return {
    code: 'apply_failed',
    file: failure.path,
    line: error.line,
    column: error.column,
    message: `${failure.name} fails to apply (${error.code}): ${error.message}${extra ? `. ${extra}` : ''}`,
    suggestion:
      status === 'new'
        ? 'Fix the migration so that it applies on top of the ones before it.'
        : 'An applied migration does not replay from an empty database: it depends on something made outside the migrations; capture that in the history.',
  };
}
