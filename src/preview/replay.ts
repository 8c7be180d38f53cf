import { randomBytes } from 'node:crypto';
import { diffSchemas, type SchemaChange } from '../schema/diff.ts';
import { introspectSchema } from '../schema/introspect.ts';
import type { SchemaModel } from '../schema/model.ts';
import { applyMigration, type ApplyResult } from './apply.ts';
import { ensurePreviewRole, previewRole, transferOwnership } from './preview-role.ts';
import { databaseUrl, dropDatabase, quoteIdent, withClient } from './server-admin.ts';

export interface ReplayInput {
  /** Admin URL of a server where an empty database may be created. */
  serverUrl: string;
  history: Array<{ name: string; sql: string }>;
  /** The proposal, applied last. */
  sql: string;
  /** The preview's schema after the proposal. */
  expected: SchemaModel;
  options: { lockTimeoutMs: number; statementTimeoutMs: number };
}

export interface ReplayResult {
  /** The history and the proposal replayed cleanly and gave the preview's schema. */
  ok: boolean;
  database: string;
  /** The first migration that failed on the empty database (`proposal` for the proposal itself). */
  failed?: { name: string; apply: ApplyResult };
  /** What the replayed database has that the preview does not (`added`), or lacks (`removed`). */
  drift: SchemaChange[];
}

/**
 * Replays history plus the proposal on an empty database and compares the
 * result with the preview's schema: a difference means production drifted
 * from its migrations (a change made by hand) or a migration depends on
 * something outside the history. History is trusted (production ran it) and
 * runs as admin; the proposal runs as the preview role, as on the branch.
 *
 * @example
 * const replay = await replayHistory({ serverUrl, history, sql, expected: afterSchema, options });
 * if (!replay.ok) console.log(replay.drift.map((c) => `${c.kind} ${c.id}`));
 */
export async function replayHistory(input: ReplayInput): Promise<ReplayResult> {
  const name = scratchName();
  return withClient(input.serverUrl, async (admin) => {
    const runner = await ensurePreviewRole(admin, input.serverUrl);
    await admin.query(`create database ${quoteIdent(name)} template template0`);
    try {
      const adminUrl = databaseUrl(input.serverUrl, name);
      for (const migration of input.history) {
        const apply = await applyMigration(adminUrl, migration.sql, { ...input.options, allowSuperuser: true });
        if (!apply.ok) return { ok: false, database: name, failed: { name: migration.name, apply }, drift: [] };
      }
      await withClient(adminUrl, (client) => transferOwnership(client, previewRole));
      await admin.query(`alter database ${quoteIdent(name)} owner to ${quoteIdent(previewRole)}`);
      const apply = await applyMigration(databaseUrl(input.serverUrl, name, runner), input.sql, input.options);
      if (!apply.ok) return { ok: false, database: name, failed: { name: 'proposal', apply }, drift: [] };
      const replayed = await withClient(adminUrl, (client) => introspectSchema(client));
      const drift = diffSchemas(input.expected, replayed).changes;
      return { ok: drift.length === 0, database: name, drift };
    } finally {
      await dropDatabase(admin, name);
    }
  });
}

/** Scratch databases are recognisable on the server and never collide. */
function scratchName(): string {
  return `sg_scratch_${randomBytes(6).toString('hex')}`;
}
