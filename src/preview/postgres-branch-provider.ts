import { createHash } from 'node:crypto';
import type pg from 'pg';
import { withAdvisoryLock } from '../database/advisory-locks.ts';
import { copyProduction, type BaseMode } from './base-copy.ts';
import { copyByTemplate } from './template-copy.ts';
import type { BaseInfo, BranchInfo, BranchProvider } from './branch-provider.ts';
import { PreviewError } from '../errors.ts';
import { ensurePreviewRole, handDatabaseTo, previewRole, type RoleCredentials } from './preview-role.ts';
import { readProductionHead } from './production-head.ts';
import {
  cloneDatabase,
  databaseOnServer,
  commentOnDatabase,
  databasesWithPrefix,
  databaseUrl,
  dropDatabase,
  quoteIdent,
  redact,
  withClient,
} from '../database/server-admin.ts';

export interface PostgresBranchProviderOptions {
  productionUrl: string;
  /** A server (admin rights: CREATEDB, CREATEROLE) where previews are created. May be production's own server. */
  previewServerUrl: string;
  baseMode: BaseMode;
  sampleRows?: number;
  maxBranches?: number;
  ttlMs?: number;
  /** Directory of pg_dump/psql; the PATH when absent. */
  pgBinDir?: string;
  /** How a base of a production on another server is copied (see ClientTools.copyMethod); `auto` when absent. */
  copyMethod?: 'auto' | 'pg_dump' | 'in-process';
  now?: () => Date;
}

export const previewPrefix = 'sg_preview_';
export const basePrefix = 'sg_base_';
const maxIdentifier = 63;

interface PreviewComment {
  schemagate: 'preview';
  scope: string;
  createdAt: string;
  base: string;
}

interface BaseComment {
  schemagate: 'base';
  scope: string;
  head: string;
  builtAt: string;
}

export interface PostgresBranchProvider extends BranchProvider {
  /** Identifies this production and base settings in database comments on the preview server. */
  readonly scope: string;
  /** Drops every preview and base of this scope, e.g. when production is disconnected; returns their names. */
  dropAll(): Promise<string[]>;
}

/**
 * Preview branches as databases on a Postgres server: a base copy of
 * production (rebuilt when production's head moves) cloned per preview with
 * `CREATE DATABASE ... TEMPLATE`. State lives in the server (database names
 * and JSON comments), so it survives restarts and is shared between workers.
 *
 * @example
 * const provider = createPostgresBranchProvider({ productionUrl, previewServerUrl, baseMode: 'sample', ttlMs: 86_400_000 });
 * const branch = await provider.create('sg_preview_ab12cd34_r1');
 * // ... apply on branch.url ...
 * await provider.drop(branch.name);
 */
export function createPostgresBranchProvider(options: PostgresBranchProviderOptions): PostgresBranchProvider {
  const sampleRows = options.sampleRows ?? 1000;
  const maxBranches = options.maxBranches ?? 20;
  const ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
  const now = options.now ?? (() => new Date());
  const tools = { binDir: options.pgBinDir, copyMethod: options.copyMethod };
  const server = options.previewServerUrl;
  // Previews of different productions (or base settings) on one server never see each other.
  const scope = sha(`${redact(options.productionUrl)}\0${options.baseMode}\0${sampleRows}`).slice(0, 16);
  let runner: RoleCredentials | undefined;
  let refreshing: Promise<BaseInfo> | undefined;

  const withAdmin = <T>(fn: (admin: pg.Client) => Promise<T>) => withClient(server, fn);

  const ensureRunner = async (admin: pg.ClientBase): Promise<RoleCredentials> =>
    (runner ??= await ensurePreviewRole(admin, server));

  const branchInfo = (name: string, createdAt: Date, credentials: RoleCredentials): BranchInfo => ({
    name,
    url: databaseUrl(server, name, credentials),
    adminUrl: databaseUrl(server, name),
    createdAt,
  });

  const mine = async (admin: pg.ClientBase, prefix: string) =>
    (await databasesWithPrefix(admin, prefix)).filter(
      (db) => (db.comment as { scope?: string } | null)?.scope === scope,
    );

  const buildBase = async (): Promise<BaseInfo> => {
    // Production's head is read while the admin session connects.
    const reading = withClient(options.productionUrl, readProductionHead);
    reading.catch(() => {});
    return withAdmin(async (admin) => {
      const { head } = await reading;
      const name = `${basePrefix}${sha(`${scope}\0${head}`).slice(0, 24)}`;
      await ensureRunner(admin);
      return withAdvisoryLock(admin, `base:${scope}`, async () => {
        const bases = await mine(admin, basePrefix);
        const existing = bases.find((db) => db.name === name && (db.comment as Partial<BaseComment>).builtAt);
        if (existing)
          return { name, head, rebuilt: false, builtAt: new Date((existing.comment as BaseComment).builtAt) };
        // A base without its comment is a build that died half-way.
        await dropDatabase(admin, name);
        const baseUrl = databaseUrl(server, name);
        const production = databaseOnServer(options.productionUrl, server);
        const templated =
          production !== undefined &&
          (await copyByTemplate(admin, { production, base: name, baseUrl, mode: options.baseMode, sampleRows }));
        if (!templated) await admin.query(`create database ${quoteIdent(name)} template template0`);
        // Marks it as ours while it is built, so a crashed build is found and dropped later.
        await commentOnDatabase(admin, name, { schemagate: 'base', scope, building: true });
        try {
          if (!templated)
            await copyProduction({
              productionUrl: options.productionUrl,
              baseUrl,
              mode: options.baseMode,
              sampleRows,
              tools,
            });
          await handDatabaseTo(admin, baseUrl, name, previewRole);
          // No connections: CREATE DATABASE ... TEMPLATE fails while the template has sessions.
          await admin.query(`alter database ${quoteIdent(name)} with is_template true allow_connections false`);
        } catch (error) {
          await dropDatabase(admin, name);
          throw error;
        }
        const builtAt = now();
        await commentOnDatabase(admin, name, {
          schemagate: 'base',
          scope,
          head,
          builtAt: builtAt.toISOString(),
        } satisfies BaseComment);
        for (const old of bases) if (old.name !== name) await dropDatabase(admin, old.name);
        return { name, head, rebuilt: true, builtAt };
      });
    });
  };

  const refreshBase = (): Promise<BaseInfo> => {
    // Concurrent creates in one process share one head check and build.
    refreshing ??= buildBase().finally(() => (refreshing = undefined));
    return refreshing;
  };

  const list = async (): Promise<BranchInfo[]> =>
    withAdmin(async (admin) => {
      const credentials = await ensureRunner(admin);
      const rows = await mine(admin, previewPrefix);
      return rows.map((row) => branchInfo(row.name, new Date((row.comment as PreviewComment).createdAt), credentials));
    });

  const drop = async (name: string): Promise<void> => {
    await withAdmin((admin) => dropDatabase(admin, databaseName(name)));
  };

  const dropExpired = async (): Promise<string[]> => {
    const expired = (await list()).filter((b) => now().getTime() - b.createdAt.getTime() > ttlMs).map((b) => b.name);
    for (const name of expired) await drop(name);
    return expired;
  };

  const create = async (requested: string): Promise<BranchInfo> => {
    const name = databaseName(requested);
    const [base] = await Promise.all([refreshBase(), dropExpired()]);
    return withAdmin((admin) =>
      withAdvisoryLock(admin, `branches:${scope}`, async () => {
        const existing = await mine(admin, previewPrefix);
        if (existing.length >= maxBranches) {
          throw new PreviewError(
            'branch_limit_reached',
            `${existing.length} preview branches exist (maxBranches ${maxBranches}); drop finished previews or raise maxBranches`,
            { branches: existing.map((b) => b.name) },
          );
        }
        await cloneDatabase(admin, name, { template: base.name, owner: previewRole });
        const createdAt = now();
        await commentOnDatabase(admin, name, {
          schemagate: 'preview',
          scope,
          createdAt: createdAt.toISOString(),
          base: base.name,
        } satisfies PreviewComment);
        return { ...branchInfo(name, createdAt, await ensureRunner(admin)), baseHead: base.head };
      }),
    );
  };

  const dropAll = async () => {
    // A base still being built would otherwise appear after the drop.
    await refreshing?.catch(() => {});
    return withAdmin(async (admin) => {
      const names = [...(await mine(admin, previewPrefix)), ...(await mine(admin, basePrefix))].map((db) => db.name);
      for (const name of names) await dropDatabase(admin, name);
      return names;
    });
  };

  return {
    kind: 'postgres',
    scope,
    scratchServerUrl: server,
    dropAll,
    create,
    reset: async (name) => {
      await drop(name);
      return create(name);
    },
    drop,
    list,
    refreshBase,
    dropExpired,
  };
}

/** `ab12_r1` and `sg_preview_ab12_r1` name the same branch. */
function databaseName(name: string): string {
  const full = name.startsWith(previewPrefix) ? name : `${previewPrefix}${name}`;
  if (!/^[a-z0-9_]+$/.test(full) || full.length > maxIdentifier) {
    throw new PreviewError(
      'invalid_branch_name',
      `branch name ${JSON.stringify(name)} must be lower-case letters, digits and _ and fit ${maxIdentifier} characters with the ${previewPrefix} prefix`,
    );
  }
  return full;
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
