import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { withAdvisoryLock } from '../database/advisory-locks.ts';
import { diffSchemas, type SchemaChange } from '../schema/diff.ts';
import { introspectSchema } from '../schema/introspect.ts';
import type { SchemaModel } from '../schema/model.ts';
import { applyMigration, type ApplyResult } from './apply.ts';
import { ensurePreviewRole, previewRole, type RoleCredentials } from './preview-role.ts';
import { ensureWorkingCopy, replayTemplate, type ReplayCacheUse } from './replay-template.ts';
import { cloneDatabase, databaseUrl, dropDatabase, withClient } from '../database/server-admin.ts';
import { splitStatements } from './statements.ts';

export interface ReplayInput {
  /** Admin URL of a server where an empty database may be created. */
  serverUrl: string;
  history: Array<{ name: string; sql: string }>;
  /** The proposal, applied last. */
  sql: string;
  options: { lockTimeoutMs: number; statementTimeoutMs: number };
}

/** History and proposal replayed: the schema they give, or the migration that failed. */
export type ReplayRun =
  | { ok: true; database: string; schema: SchemaModel; cache: ReplayCacheUse }
  | { ok: false; database: string; failed: { name: string; apply: ApplyResult }; cache: ReplayCacheUse };

export interface ReplayResult {
  /** The history and the proposal replayed cleanly and gave the preview's schema. */
  ok: boolean;
  database: string;
  /** The first migration that failed on the empty database (`proposal` for the proposal itself). */
  failed?: { name: string; apply: ApplyResult };
  /** What the replayed database has that the preview does not (`added`), or lacks (`removed`). */
  drift: SchemaChange[];
  /** Whether the history's replay came from the server's cache (see replay-template.ts). */
  cache: ReplayCacheUse;
}

/**
 * Replays history plus the proposal on an empty database: the history from
 * its cached replay (built on first use), the proposal on a fresh clone of
 * it as the preview role, as on the branch. Compare the schema it gives with
 * the preview's (`compareReplay`): a difference means production drifted
 * from its migrations (a change made by hand) or a migration depends on
 * something outside the history.
 *
 * @example
 * const run = await replayHistory({ serverUrl, history, sql, options });
 * const replay = compareReplay(run, afterSchema);
 * await run.dropped;
 * if (!replay.ok) console.log(replay.drift.map((c) => `${c.kind} ${c.id}`));
 */
export async function replayHistory(input: ReplayInput): Promise<ReplayRun & { dropped: Promise<void> }> {
  const split = await splitStatements(input.sql);
  if (split.ok && split.statements.every((s) => s.transactional)) {
    return { ...(await replayInTransaction(input)), dropped: Promise.resolve() };
  }
  const name = scratchName();
  const run = await withClient(input.serverUrl, async (admin): Promise<ReplayRun> => {
    const runner = await previewRunner(admin, input.serverUrl);
    const template = await withRetryOnDroppedTemplate(
      () => replayTemplate(admin, input.serverUrl, input.history, input.options),
      async (t) => {
        if (t.ok) await cloneDatabase(admin, name, { template: t.name, owner: previewRole });
      },
    );
    if (!template.ok) return { ok: false, database: name, failed: template.failed, cache: template.cache };
    const apply = await applyMigration(databaseUrl(input.serverUrl, name, runner), input.sql, input.options);
    if (!apply.ok) return { ok: false, database: name, failed: { name: 'proposal', apply }, cache: template.cache };
    const schema = await withClient(databaseUrl(input.serverUrl, name), (client) => introspectSchema(client));
    return { ok: true, database: name, schema, cache: template.cache };
  }).catch(async (error: unknown) => {
    await dropScratch(input.serverUrl, name);
    throw error;
  });
  // Dropping forces a checkpoint: the caller decides when to wait for it.
  return { ...run, dropped: dropScratch(input.serverUrl, name) };
}

/**
 * A proposal that runs in one transaction needs no clone of its own: it is
 * applied to the history's working copy, introspected inside the
 * transaction, and rolled back. One proposal at a time per history (an
 * advisory lock), so proposals never wait on each other's locks.
 */
async function replayInTransaction(input: ReplayInput): Promise<ReplayRun> {
  return withClient(input.serverUrl, async (admin) => {
    const runner = await previewRunner(admin, input.serverUrl);
    let work = '';
    const template = await withRetryOnDroppedTemplate(
      () => replayTemplate(admin, input.serverUrl, input.history, input.options),
      async (t) => {
        if (t.ok) work = await ensureWorkingCopy(admin, t.name);
      },
    );
    if (!template.ok) return { ok: false, database: work, failed: template.failed, cache: template.cache };
    return withAdvisoryLock(admin, `replay-work:${work}`, async (): Promise<ReplayRun> => {
      let schema: SchemaModel | undefined;
      const apply = await applyMigration(databaseUrl(input.serverUrl, work, runner), input.sql, {
        ...input.options,
        rollback: true,
        inspect: async (client) => void (schema = await introspectSchema(client)),
      });
      if (!apply.ok || !schema) {
        return { ok: false, database: work, failed: { name: 'proposal', apply }, cache: template.cache };
      }
      return { ok: true, database: work, schema, cache: template.cache };
    });
  });
}

function dropScratch(serverUrl: string, name: string): Promise<void> {
  return withClient(serverUrl, (admin) => dropDatabase(admin, name)).catch(() => {});
}

/** The replay judged against the preview's schema after the proposal. */
export function compareReplay(run: ReplayRun, expected: SchemaModel): ReplayResult {
  if (!run.ok) return { ok: false, database: run.database, failed: run.failed, drift: [], cache: run.cache };
  const drift = diffSchemas(expected, run.schema).changes.filter((change) => !monitoringExtensions.has(change.id));
  return { ok: drift.length === 0, database: run.database, drift, cache: run.cache };
}

/**
 * Installed by the operator for monitoring, outside the migrations, and holding no application
 * schema: pg_stat_statements is where the workload check reads production's queries.
 */
const monitoringExtensions: ReadonlySet<string> = new Set(['extension pg_stat_statements']);

/**
 * Another server session may prune a template between its lookup and its
 * clone, here or while a longer history extends it (SQLSTATE 3D000, the
 * template is gone): look it up once more.
 */
async function withRetryOnDroppedTemplate<T>(
  lookup: () => Promise<T>,
  clone: (template: T) => Promise<void>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const template = await lookup();
      await clone(template);
      return template;
    } catch (error) {
      if (attempt > 0 || !(error instanceof pg.DatabaseError) || error.code !== '3D000') throw error;
    }
  }
}

/** The preview role is set up once per server and process, as the branch provider does. */
const runners = new Map<string, Promise<RoleCredentials>>();

function previewRunner(admin: pg.ClientBase, serverUrl: string): Promise<RoleCredentials> {
  return runners.get(serverUrl) ?? remember(serverUrl, ensurePreviewRole(admin, serverUrl));
}

function remember(serverUrl: string, setup: Promise<RoleCredentials>): Promise<RoleCredentials> {
  runners.set(serverUrl, setup);
  setup.catch(() => runners.delete(serverUrl));
  return setup;
}

/** Scratch databases are recognisable on the server and never collide. */
function scratchName(): string {
  return `sg_scratch_${randomBytes(6).toString('hex')}`;
}
