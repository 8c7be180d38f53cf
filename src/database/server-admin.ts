import pg from 'pg';
import { PreviewError } from '../errors.ts';

export const quoteIdent = pg.escapeIdentifier;
export const quoteLiteral = pg.escapeLiteral;

/**
 * The same server with another database (and optionally other credentials).
 *
 * @example
 * databaseUrl('postgres://admin:pw@db:5432/postgres', 'sg_preview_ab12_r1') // postgres://admin:pw@db:5432/sg_preview_ab12_r1
 */
export function databaseUrl(
  serverUrl: string,
  database: string,
  credentials?: { user: string; password?: string },
): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  if (credentials) {
    url.username = encodeURIComponent(credentials.user);
    url.password = credentials.password ? encodeURIComponent(credentials.password) : '';
  }
  return url.toString();
}

/**
 * Runs `fn` on a fresh connection that is always closed afterwards.
 *
 * @example
 * const n = await withClient(url, async (c) => (await c.query('select 1 as n')).rows[0].n);
 */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  // A connection dropped by the server (e.g. DROP DATABASE ... FORCE) must not crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new PreviewError('connection_failed', `cannot connect to ${redact(url)}: ${(error as Error).message}`);
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The database `url` names when it lives on the server `serverUrl` points to
 * (same host and port), so that server's admin can reach it; undefined otherwise.
 *
 * @example
 * databaseOnServer('postgres://app@db:5432/shop', 'postgres://admin@db/postgres') // 'shop'
 */
export function databaseOnServer(url: string, serverUrl: string): string | undefined {
  const database = new URL(url);
  const server = new URL(serverUrl);
  const port = (u: URL) => u.port || '5432';
  if (database.hostname !== server.hostname || port(database) !== port(server)) return undefined;
  return decodeURIComponent(database.pathname.slice(1)) || undefined;
}

/** A URL safe to show in messages and logs. */
export function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

export interface DatabaseRow {
  name: string;
  comment: unknown;
}

/** Databases whose name starts with `prefix`, with their JSON comment parsed (null when absent or not JSON). */
export async function databasesWithPrefix(client: pg.ClientBase, prefix: string): Promise<DatabaseRow[]> {
  const { rows } = await client.query<{ datname: string; comment: string | null }>(
    `select datname, shobj_description(oid, 'pg_database') as comment from pg_database where starts_with(datname, $1) order by datname`,
    [prefix],
  );
  return rows.map((row) => ({ name: row.datname, comment: parseJson(row.comment) }));
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export async function commentOnDatabase(client: pg.ClientBase, name: string, value: unknown): Promise<void> {
  await client.query(`comment on database ${quoteIdent(name)} is ${quoteLiteral(JSON.stringify(value))}`);
}

/** Drops a database even when it is a template or has sessions; a missing one is fine. */
export async function dropDatabase(client: pg.ClientBase, name: string): Promise<void> {
  const { rows } = await client.query('select datistemplate from pg_database where datname = $1', [name]);
  if (rows.length === 0) return;
  if (rows[0].datistemplate) await client.query(`alter database ${quoteIdent(name)} with is_template false`);
  await client.query(`drop database if exists ${quoteIdent(name)} with (force)`);
}

export interface CloneOptions {
  template: string;
  owner?: string;
}

/** Below this size a template is copied through the WAL: no checkpoint, which on a busy server costs more than the copy. */
export const walLogCloneBytes = 32 * 1024 * 1024;

/**
 * `CREATE DATABASE ... TEMPLATE`: a small template (schema, a sample) with
 * `STRATEGY WAL_LOG`, which needs no checkpoint; a bigger one with
 * `STRATEGY FILE_COPY`, a file-level copy (copy-on-write with
 * `file_copy_method = clone` where the server has it, PG 18), which does not
 * write every page to WAL but forces two checkpoints.
 *
 * @example
 * await cloneDatabase(admin, 'sg_preview_ab12_r1', { template: 'sg_base_0f3a', owner: 'sg_preview_runner' });
 */
export async function cloneDatabase(client: pg.ClientBase, name: string, options: CloneOptions): Promise<void> {
  const { rows } = await client.query<{ version: number; clone: boolean; bytes: string }>(
    `select current_setting('server_version_num')::int as version, exists (select from pg_settings where name = 'file_copy_method') as clone,
       pg_database_size($1::text)::text as bytes`,
    [options.template],
  );
  const { version, clone } = rows[0]!;
  const owner = options.owner ? ` owner ${quoteIdent(options.owner)}` : '';
  const fileCopy = Number(rows[0]!.bytes) >= walLogCloneBytes;
  const strategy = version < 150000 ? '' : fileCopy ? ' strategy file_copy' : ' strategy wal_log';
  const create = `create database ${quoteIdent(name)}${owner} template ${quoteIdent(options.template)}${strategy}`;
  if (!clone || !fileCopy) return void (await client.query(create));
  await client.query(`set file_copy_method = clone`);
  try {
    await client.query(create);
  } catch (error) {
    // clone needs filesystem support; a failed CREATE DATABASE leaves nothing behind, so copy plainly.
    if ((error as { code?: string }).code === '42P04') throw error;
    await client.query(`reset file_copy_method`);
    await client.query(create);
  } finally {
    await client.query(`reset file_copy_method`);
  }
}
