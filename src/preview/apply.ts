import pg from 'pg';
import { executeOne, pinTokenization } from '../database/statement-session.ts';
import { toMigrationError, type ApplyResult, type MigrationError, type StatementResult } from './apply-result.ts';
import { relationLocks, sampleLocks, tableFilenodes, tableSizes, type LockTaken } from './measure.ts';
import { withCatalogSearchPath as catalog } from '../database/catalog-search-path.ts';
import { checkRolePrivileges, roleRefusal } from '../database/role-privileges.ts';
import { PreviewError } from '../errors.ts';
import { splitStatements, type MigrationStatement } from './statements.ts';
import { redact } from '../database/server-admin.ts';

export type { ApplyResult, MigrationError, StatementResult } from './apply-result.ts';

export interface ApplyOptions {
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  /** Connect as this role instead of the URL's user. */
  role?: { user: string; password?: string };
  /** Skips the role check, so a superuser may apply (trusted history only, never a proposal). */
  allowSuperuser?: boolean;
  /** Roll the transaction back after `inspect` (e.g. to try a down migration without keeping it). */
  rollback?: boolean;
  /** Runs on the applying session after the last statement, before COMMIT/ROLLBACK, only when every statement succeeded. */
  inspect?: (client: pg.ClientBase) => Promise<void>;
  /** False skips the per-statement locks, rewrites and sizes (a trusted history replay needs only the outcome). */
  measure?: boolean;
}

const previewRoleFix =
  'Apply as the preview role (sg_preview_runner, see preview-role.ts): it logs in as itself, cannot escalate and owns the branch.';

/** Client-side backstop: the migration can `SET statement_timeout = 0` itself. */
const watchdogGraceMs = 2000;

/**
 * Applies a migration and records what happened, statement by statement.
 * Never throws because the migration failed; throws PreviewError when the
 * database cannot be reached or the session's role fails checkRolePrivileges.
 *
 * @example
 * const result = await applyMigration(branch.url, 'alter table users add column age int;', { lockTimeoutMs: 2000, statementTimeoutMs: 60_000 });
 * if (!result.ok) console.log(`${result.error!.line}:${result.error!.column} ${result.error!.message}`);
 */
export async function applyMigration(url: string, sql: string, options: ApplyOptions): Promise<ApplyResult> {
  const started = performance.now();
  const split = await splitStatements(sql);
  const role = options.role?.user ?? decodeURIComponent(new URL(url).username);
  const base = { ok: false, mode: 'transaction' as const, committed: false, role, statements: [] };
  if (!split.ok) {
    const error = { code: '42601', message: split.message, line: split.line, column: split.column };
    return { ...base, durationMs: performance.now() - started, error };
  }
  const refused = split.statements.find((s) => s.transactionControl);
  if (refused) {
    const message =
      'transaction control statements are not allowed: schemagate applies the migration in one transaction itself';
    return {
      ...base,
      durationMs: performance.now() - started,
      error: {
        code: 'schemagate',
        message,
        line: refused.line,
        column: refused.column,
        statementIndex: refused.index,
        statementText: refused.text,
      },
    };
  }

  const connectionString = options.role ? withRole(url, options.role) : url;
  const [main, monitor] = [new pg.Client({ connectionString }), new pg.Client({ connectionString })];
  for (const client of [main, monitor]) client.on('error', () => {});
  try {
    await Promise.all([main.connect(), monitor.connect()]).catch((error: Error) => {
      throw new PreviewError('connection_failed', `cannot connect to ${redact(connectionString)}: ${error.message}`);
    });
    const session = (await main.query<{ pid: number }>(`select pg_backend_pid() as pid`)).rows[0]!;
    if (!options.allowSuperuser) {
      const refusal = roleRefusal(await checkRolePrivileges(main), 'preview', previewRoleFix);
      if (refusal) throw new PreviewError(refusal.code, refusal.message, refusal.problems);
    }
    await pinTokenization(main);
    await main.query(
      `set statement_timeout = ${Math.round(options.statementTimeoutMs)}; set lock_timeout = ${Math.round(options.lockTimeoutMs)}`,
    );
    const transactional = split.statements.every((s) => s.transactional);
    const run = transactional ? runInTransaction : runAutocommit;
    const outcome = await run({ main, monitor, pid: session.pid, sql, statements: split.statements, options });
    return {
      ...outcome,
      mode: transactional ? 'transaction' : 'autocommit',
      role,
      durationMs: performance.now() - started,
    };
  } finally {
    await Promise.all([main.end().catch(() => {}), monitor.end().catch(() => {})]);
  }
}

interface RunContext {
  main: pg.Client;
  monitor: pg.Client;
  pid: number;
  sql: string;
  statements: MigrationStatement[];
  options: ApplyOptions;
}

type Outcome = Pick<ApplyResult, 'ok' | 'committed' | 'statements' | 'error'>;

async function runInTransaction(ctx: RunContext): Promise<Outcome> {
  const { main, pid } = ctx;
  const measure = ctx.options.measure !== false;
  const results: StatementResult[] = [];
  await main.query('begin');
  for (const statement of ctx.statements) {
    const [locksBefore, filesBefore] = measure
      ? await catalog(main, async () => [await relationLocks(main, pid), await tableFilenodes(main)] as const)
      : [[], new Map()];
    const executed = await execute(ctx, statement);
    if ('error' in executed) {
      await main.query('rollback');
      results.push(failed(statement, executed.durationMs));
      return { ok: false, committed: false, statements: results, error: executed.error };
    }
    const held = new Set(locksBefore.map((l) => `${l.oid} ${l.mode}`));
    const locks = measure
      ? (await catalog(main, () => relationLocks(main, pid))).filter((l) => !held.has(`${l.oid} ${l.mode}`))
      : [];
    results.push(
      measure
        ? await catalog(main, () => measured(main, statement, executed, locks, filesBefore))
        : unmeasured(statement, executed),
    );
  }
  await ctx.options.inspect?.(main);
  await main.query(ctx.options.rollback ? 'rollback' : 'commit');
  return { ok: true, committed: !ctx.options.rollback, statements: results };
}

async function runAutocommit(ctx: RunContext): Promise<Outcome> {
  const results: StatementResult[] = [];
  const measure = ctx.options.measure !== false;
  for (const statement of ctx.statements) {
    const filesBefore = measure ? await catalog(ctx.main, () => tableFilenodes(ctx.main)) : new Map();
    const sampler = measure ? sampleLocks(ctx.monitor, ctx.pid) : undefined;
    const executed = await execute(ctx, statement);
    const locks = (await sampler?.stop()) ?? [];
    if ('error' in executed) {
      results.push(failed(statement, executed.durationMs));
      return { ok: false, committed: results.length > 1, statements: results, error: executed.error };
    }
    results.push(
      measure
        ? await catalog(ctx.main, () => measured(ctx.main, statement, executed, locks, filesBefore))
        : unmeasured(statement, executed),
    );
  }
  await ctx.options.inspect?.(ctx.main);
  return { ok: true, committed: results.length > 0, statements: results };
}

type Executed = { durationMs: number; rowCount: number | null } | { durationMs: number; error: MigrationError };

async function execute(ctx: RunContext, statement: MigrationStatement): Promise<Executed> {
  const started = performance.now();
  const watchdog = setTimeout(() => {
    void ctx.monitor.query('select pg_cancel_backend($1)', [ctx.pid]).catch(() => {});
  }, ctx.options.statementTimeoutMs + watchdogGraceMs);
  try {
    const result = await executeOne(ctx.main, statement.text);
    return { durationMs: performance.now() - started, rowCount: result.rowCount ?? null };
  } catch (error) {
    const durationMs = performance.now() - started;
    if (!(error instanceof pg.DatabaseError) || !error.code)
      throw new PreviewError(
        'connection_failed',
        `applying statement ${statement.index + 1} failed outside Postgres: ${(error as Error).message}`,
      );
    return { durationMs, error: toMigrationError(error, ctx.sql, statement) };
  } finally {
    clearTimeout(watchdog);
  }
}

async function measured(
  client: pg.ClientBase,
  statement: MigrationStatement,
  executed: { durationMs: number; rowCount: number | null },
  locks: Array<LockTaken & { oid: number }>,
  filesBefore: Map<number, { name: string; filenode: string }>,
): Promise<StatementResult> {
  const filesAfter = await tableFilenodes(client);
  const rewrittenOids = [...filesBefore]
    .filter(([oid, before]) => {
      const after = filesAfter.get(oid);
      return after !== undefined && after.filenode !== before.filenode;
    })
    .map(([oid]) => oid);
  const touched = [...new Set([...locks.map((l) => l.oid), ...rewrittenOids])];
  return {
    ...describe(statement),
    ok: true,
    durationMs: executed.durationMs,
    rowCount: executed.rowCount,
    locks: locks
      .map(({ relation, relkind, mode }) => ({ relation, relkind, mode }))
      .sort((a, b) => a.relation.localeCompare(b.relation) || a.mode.localeCompare(b.mode)),
    rewritten: rewrittenOids.map((oid) => filesAfter.get(oid)!.name).sort(),
    tables: await tableSizes(client, touched),
  };
}

function unmeasured(
  statement: MigrationStatement,
  executed: { durationMs: number; rowCount: number | null },
): StatementResult {
  return {
    ...describe(statement),
    ok: true,
    durationMs: executed.durationMs,
    rowCount: executed.rowCount,
    locks: [],
    rewritten: [],
    tables: [],
  };
}

function failed(statement: MigrationStatement, durationMs: number): StatementResult {
  return { ...describe(statement), ok: false, durationMs, rowCount: null, locks: [], rewritten: [], tables: [] };
}

function describe(statement: MigrationStatement) {
  return {
    index: statement.index,
    line: statement.line,
    column: statement.column,
    kind: statement.kind,
    text: statement.text,
  };
}

function withRole(url: string, role: { user: string; password?: string }): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(role.user);
  parsed.password = role.password ? encodeURIComponent(role.password) : '';
  return parsed.toString();
}
