import { randomBytes } from 'node:crypto';
import { applyMigration, type MigrationError } from '../preview/apply.ts';
import { ensurePreviewRole, handDatabaseTo, previewRole, type RoleCredentials } from '../preview/preview-role.ts';
import { databaseUrl, dropDatabase, quoteIdent, withClient } from '../database/server-admin.ts';
import { diffSchemas, type SchemaDiff } from '../schema/diff.ts';
import { introspectSchema } from '../schema/introspect.ts';
import type { SchemaModel } from '../schema/model.ts';

export interface ReplayFile {
  name: string;
  path: string;
  sql: string;
  status: 'applied' | 'new';
}

export interface ReplayStep {
  name: string;
  outcome: 'ok' | 'failed' | 'not_reached';
  durationMs?: number;
}

export interface ReplayOutcome {
  /** The scratch database, already dropped. */
  database: string;
  steps: ReplayStep[];
  failure?: { name: string; path: string; error: MigrationError };
  /** The schema just before the first new migration. */
  before?: SchemaModel;
  /** What the new migrations change; null when the replay cannot tell (see `diffUnavailable`). */
  diff: SchemaDiff | null;
  diffUnavailable?: string;
}

/**
 * Applies every migration, in order, to a scratch database created on
 * `serverUrl` and dropped afterwards, and diffs the schema before and after
 * the new ones. Applied migrations run as the admin (they already ran in
 * production); new ones run as the unprivileged preview role, as a proposal
 * would, so a pull request cannot use the CI server's superuser.
 *
 * @example
 * const replay = await replayMigrations(adminUrl, files, { lockTimeoutMs: 2000, statementTimeoutMs: 60_000 });
 * if (replay.failure) console.log(`${replay.failure.path}:${replay.failure.error.line} ${replay.failure.error.message}`);
 */
export async function replayMigrations(
  serverUrl: string,
  files: ReplayFile[],
  timeouts: { lockTimeoutMs: number; statementTimeoutMs: number },
  /** Called as the preview role just before the first new migration and after the last (the workload check). */
  around?: { beforeNew: (runnerUrl: string) => Promise<void>; afterNew: (runnerUrl: string) => Promise<void> },
): Promise<ReplayOutcome> {
  const name = `sg_check_${randomBytes(6).toString('hex')}`;
  return withClient(serverUrl, async (admin) => {
    await admin.query(`create database ${quoteIdent(name)} template template0`);
    try {
      const adminUrl = databaseUrl(serverUrl, name);
      const steps: ReplayStep[] = [];
      let runner: RoleCredentials | null | undefined;
      let handedOver = false;
      let before: SchemaModel | undefined;
      for (const [index, file] of files.entries()) {
        let url = adminUrl;
        if (file.status === 'new') {
          before ??= await withClient(adminUrl, (client) => introspectSchema(client));
          runner ??= await ensurePreviewRole(admin, serverUrl).catch(() => null);
          if (runner && !handedOver) {
            await handDatabaseTo(admin, adminUrl, name, previewRole);
            handedOver = true;
          }
          // Without the right to create the preview role the admin is no superuser, and applyMigration refuses one.
          if (runner) url = databaseUrl(serverUrl, name, runner);
          if (runner && files.findIndex((f) => f.status === 'new') === index) await around?.beforeNew(url);
        } else handedOver = false;
        // Applied migrations are trusted history: only their outcome matters, not their locks and sizes.
        const apply = await applyMigration(url, file.sql, {
          ...timeouts,
          allowSuperuser: file.status === 'applied',
          measure: file.status !== 'applied',
        });
        steps.push({ name: file.name, outcome: apply.ok ? 'ok' : 'failed', durationMs: apply.durationMs });
        if (!apply.ok) {
          steps.push(...files.slice(index + 1).map((f) => ({ name: f.name, outcome: 'not_reached' as const })));
          const failure = { name: file.name, path: file.path, error: apply.error! };
          return {
            database: name,
            steps,
            failure,
            ...(before ? { before } : {}),
            diff: null,
            diffUnavailable: `the replay stopped at ${file.name}`,
          };
        }
      }
      const firstNew = files.findIndex((f) => f.status === 'new');
      if (firstNew === -1) return { database: name, steps, diff: { changes: [] } };
      if (files.slice(firstNew).some((f) => f.status === 'applied')) {
        return {
          database: name,
          steps,
          before: before!,
          diff: null,
          diffUnavailable: 'a new migration sorts before applied ones',
        };
      }
      const after = await withClient(adminUrl, (client) => introspectSchema(client));
      if (runner) await around?.afterNew(databaseUrl(serverUrl, name, runner));
      return { database: name, steps, before: before!, diff: diffSchemas(before!, after) };
    } finally {
      await dropDatabase(admin, name);
    }
  });
}
