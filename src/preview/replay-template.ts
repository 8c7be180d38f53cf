import { createHash } from 'node:crypto';
import type pg from 'pg';
import { withAdvisoryLock } from '../database/advisory-locks.ts';
import { applyMigration, type ApplyResult } from './apply.ts';
import { handDatabaseTo, previewRole } from './preview-role.ts';
import {
  cloneDatabase,
  commentOnDatabase,
  databasesWithPrefix,
  databaseUrl,
  dropDatabase,
  quoteIdent,
} from '../database/server-admin.ts';

export const replayPrefix = 'sg_replay_';

/** Replays kept per server: the newest few, so that the previous head can still be extended and parallel histories do not evict each other. */
const keptTemplates = 8;

/** How the replayed history was obtained: `hit` reused as is, `extended` a cached prefix plus the newer migrations, `built` from nothing. */
export type ReplayCacheUse = 'hit' | 'extended' | 'built';

export type ReplayTemplate =
  | { ok: true; name: string; cache: ReplayCacheUse; /** Migrations run in this call. */ applied: number }
  | { ok: false; failed: { name: string; apply: ApplyResult }; cache: ReplayCacheUse; applied: number };

interface ReplayComment {
  schemagate: 'replay';
  key: string;
  migrations: number;
  builtAt?: string;
  building?: true;
}

type Migration = { name: string; sql: string };

/**
 * Key of every prefix of `history`: `keys[i]` identifies its first i
 * migrations, by name and exact content, on one server version. An edited
 * or reordered migration changes the key of every prefix that includes it.
 *
 * @example
 * const keys = historyKeys(history, 150006); // keys.length === history.length + 1
 */
export function historyKeys(history: readonly Migration[], serverVersion: number): string[] {
  const keys = [sha(`schemagate replay v1\0${serverVersion}\0${previewRole}`)];
  for (const migration of history) keys.push(sha(`${keys.at(-1)}\0${migration.name}\0${migration.sql}`));
  return keys;
}

/**
 * A template database holding `history` replayed on an empty database, owned
 * by the preview role, cached on the server under the history's key. A
 * promoted migration extends the newest cached prefix by cloning it and
 * applying only what is new; an edited migration misses the cache from that
 * migration on. History is trusted (production ran it) and runs as the admin
 * role, unmeasured, with synchronous commit off (a crash loses only a cache).
 * A history migration that fails is reported and nothing is cached.
 *
 * @example
 * const template = await replayTemplate(admin, serverUrl, history, { lockTimeoutMs: 2000, statementTimeoutMs: 60_000 });
 * if (template.ok) await cloneDatabase(admin, 'sg_scratch_ab12', { template: template.name });
 */
export async function replayTemplate(
  admin: pg.ClientBase,
  serverUrl: string,
  history: readonly Migration[],
  options: {
    lockTimeoutMs: number;
    statementTimeoutMs: number;
    /** Replays kept on the server after a build. */ keep?: number;
  },
): Promise<ReplayTemplate> {
  const version = Number(
    (await admin.query<{ v: string }>(`select current_setting('server_version_num') as v`)).rows[0]!.v,
  );
  const keys = historyKeys(history, version);
  const key = keys.at(-1)!;
  const name = templateName(key);
  return withAdvisoryLock(admin, `replay:${key}`, async () => {
    const cached = await finishedTemplates(admin);
    if (cached.has(key)) return { ok: true, name, cache: 'hit', applied: 0 };
    const from = longestCachedPrefix(keys, cached);
    const cache: ReplayCacheUse = from > 0 ? 'extended' : 'built';
    // A database under this name without a finished comment is a build that died half-way.
    await dropDatabase(admin, name);
    if (from > 0) await cloneDatabase(admin, name, { template: cached.get(keys[from]!)! });
    else await admin.query(`create database ${quoteIdent(name)} template template0`);
    await commentOnDatabase(admin, name, {
      schemagate: 'replay',
      key,
      migrations: history.length,
      building: true,
    } satisfies ReplayComment);
    try {
      await admin.query(`alter database ${quoteIdent(name)} set synchronous_commit = off`);
      const url = databaseUrl(serverUrl, name);
      for (const [i, migration] of history.slice(from).entries()) {
        const apply = await applyMigration(url, migration.sql, {
          ...timeouts(options),
          allowSuperuser: true,
          measure: false,
        });
        if (!apply.ok) {
          await dropDatabase(admin, name);
          return { ok: false, failed: { name: migration.name, apply }, cache, applied: i };
        }
      }
      await admin.query(`alter database ${quoteIdent(name)} reset all`);
      await handDatabaseTo(admin, url, name, previewRole);
      // No connections: CREATE DATABASE ... TEMPLATE fails while the template has sessions.
      await admin.query(`alter database ${quoteIdent(name)} with is_template true allow_connections false`);
    } catch (error) {
      await dropDatabase(admin, name);
      throw error;
    }
    await commentOnDatabase(admin, name, {
      schemagate: 'replay',
      key,
      migrations: history.length,
      builtAt: new Date().toISOString(),
    } satisfies ReplayComment);
    await pruneTemplates(admin, name, options.keep ?? keptTemplates);
    return { ok: true, name, cache, applied: history.length - from };
  });
}

/**
 * The template's working copy, `<template>_w`: a database (not a template)
 * where a transactional proposal is applied and rolled back, so most
 * previews need no clone of the replay. Created on first use, dropped with
 * its template.
 *
 * @example
 * const work = await ensureWorkingCopy(admin, template.name);
 */
export async function ensureWorkingCopy(admin: pg.ClientBase, template: string): Promise<string> {
  const name = workingCopyName(template);
  return withAdvisoryLock(admin, `replay-work:${name}`, async () => {
    const [row] = await databasesWithPrefix(admin, name);
    if (row?.name === name && (row.comment as { ready?: boolean } | null)?.ready) return name;
    // One without the ready mark is a copy that died half-way.
    await dropDatabase(admin, name);
    await cloneDatabase(admin, name, { template, owner: previewRole });
    await commentOnDatabase(admin, name, { schemagate: 'replay-work', template, ready: true });
    return name;
  });
}

const workingCopyName = (template: string) => `${template}_w`;

/** Finished replay templates on the server, by key. */
async function finishedTemplates(admin: pg.ClientBase): Promise<Map<string, string>> {
  const rows = await databasesWithPrefix(admin, replayPrefix);
  const finished = rows.filter((row) => {
    const comment = row.comment as Partial<ReplayComment> | null;
    return (
      comment?.schemagate === 'replay' &&
      typeof comment.key === 'string' &&
      comment.builtAt !== undefined &&
      row.name === templateName(comment.key)
    );
  });
  return new Map(finished.map((row) => [(row.comment as ReplayComment).key, row.name]));
}

/** The most migrations of `keys` (at least one) already replayed in a cached template; 0 when none is. */
function longestCachedPrefix(keys: readonly string[], cached: Map<string, string>): number {
  for (let i = keys.length - 2; i > 0; i--) if (cached.has(keys[i]!)) return i;
  return 0;
}

/**
 * Keeps the newest finished templates. A template another session is
 * cloning cannot be dropped under it: DROP DATABASE waits for the clone.
 */
async function pruneTemplates(admin: pg.ClientBase, built: string, keep: number): Promise<void> {
  const rows = await databasesWithPrefix(admin, replayPrefix);
  const finished = rows
    .filter((row) => row.name !== built && (row.comment as Partial<ReplayComment> | null)?.builtAt !== undefined)
    .sort((a, b) =>
      String((b.comment as ReplayComment).builtAt).localeCompare(String((a.comment as ReplayComment).builtAt)),
    );
  for (const old of finished.slice(Math.max(keep - 1, 0))) {
    // The working copy first: a session using it holds no lock on the template.
    await withAdvisoryLock(admin, `replay-work:${workingCopyName(old.name)}`, () =>
      dropDatabase(admin, workingCopyName(old.name)),
    );
    await dropDatabase(admin, old.name);
  }
}

const timeouts = ({ lockTimeoutMs, statementTimeoutMs }: { lockTimeoutMs: number; statementTimeoutMs: number }) => ({
  lockTimeoutMs,
  statementTimeoutMs,
});

function templateName(key: string): string {
  return `${replayPrefix}${key.slice(0, 24)}`;
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
