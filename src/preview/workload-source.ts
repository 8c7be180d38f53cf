import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { parseMigration } from '../sql/parse.ts';
import { withClient } from '../database/server-admin.ts';
import { screenStatement } from './workload-screen.ts';

/** One query shape the running application sends: pg_stat_statements' normalized text ($n for constants) or a workload file's statement. */
export interface WorkloadStatement {
  /** pg_stat_statements' queryid, or `<file>:<line>` / `<file>#<n>`. */
  id: string;
  query: string;
  calls?: number;
}

export interface WorkloadSourceOptions {
  /** `auto`: pg_stat_statements when production has it, the file otherwise. */
  source: 'auto' | 'pg_stat_statements' | 'file' | 'off';
  /** A workload file: `.json` (an array of queries or `{ query, calls? }`) or SQL statements separated by semicolons. */
  file?: string;
  /** The most frequent N statements are checked. */
  top: number;
}

export interface Workload {
  source: 'pg_stat_statements' | 'file' | 'none';
  statements: WorkloadStatement[];
  /** Why the preferred source was not used, or why there is none. */
  note?: string;
}

const hiddenText = '<insufficient privilege>';

/** How many rows to read per statement kept: utility statements and catalog queries are read and dropped. */
const overRead = 4;

/**
 * Production's recent query shapes: the top `top` statements by calls from
 * pg_stat_statements in production's database when the extension is
 * installed and loaded (read on the given production connection, in a
 * read-only transaction), otherwise the workload file. Utility statements,
 * catalog queries and schemagate's own ledger queries are left out.
 * Throws AppError `configuration_error` when the file cannot be read.
 *
 * @example
 * const workload = await readWorkload(productionUrl, { source: 'auto', file: '/repo/workload.sql', top: 200 });
 * console.log(workload.source, workload.statements.length);
 */
export async function readWorkload(
  productionUrl: string | undefined,
  options: WorkloadSourceOptions,
): Promise<Workload> {
  if (options.source === 'off')
    return { source: 'none', statements: [], note: 'the workload check is turned off (preview.workload.source = off)' };
  let note: string | undefined;
  if (options.source !== 'file') {
    if (!productionUrl) note = 'no production database to read pg_stat_statements from';
    else {
      const read = await readStatStatements(productionUrl, options.top);
      if ('unavailable' in read) note = read.unavailable;
      else if (read.statements.length > 0)
        return { source: 'pg_stat_statements', statements: read.statements, ...(read.note ? { note: read.note } : {}) };
      else note = `pg_stat_statements holds no application query${read.note ? ` (${read.note})` : ''}`;
    }
    if (options.source === 'pg_stat_statements') return { source: 'none', statements: [], note };
  }
  const noFile = 'no workload file is configured (preview.workload.file)';
  if (!options.file) return { source: 'none', statements: [], note: note ? `${note}, and ${noFile}` : noFile };
  const statements = (await readWorkloadFile(options.file))
    .filter((s) => screenStatement(s.query).ok)
    .slice(0, options.top);
  return {
    source: 'file',
    statements,
    ...(note ? { note: `${note}; read ${path.basename(options.file)} instead` } : {}),
  };
}

/**
 * The top statements by calls in the connection's database, or why they cannot be read
 * (extension not installed, not in shared_preload_libraries, no right to read other roles' text).
 */
export async function readStatStatements(
  url: string,
  top: number,
): Promise<{ statements: WorkloadStatement[]; note?: string } | { unavailable: string }> {
  // Read only, and rolled back as the session ends.
  return withClient(url, async (client) => {
    await client.query("begin read only; set local statement_timeout = '10s'");
    const ext = await client.query<{ schema: string }>(
      `select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_stat_statements'`,
    );
    if (!ext.rows[0]) return { unavailable: 'pg_stat_statements is not installed in production' };
    let rows: Array<{ id: string; query: string; calls: number }>;
    try {
      ({ rows } = await client.query(
        `select min(queryid)::text as id, query, sum(calls)::float8 as calls
           from ${pg.escapeIdentifier(ext.rows[0].schema)}.pg_stat_statements
          where dbid = (select oid from pg_database where datname = current_database()) and query is not null
          group by query order by sum(calls) desc, query limit $1`,
        [top * overRead],
      ));
    } catch (error) {
      return { unavailable: `pg_stat_statements cannot be read: ${(error as Error).message}` };
    }
    const statements: WorkloadStatement[] = [];
    let hidden = 0;
    for (const row of rows) {
      // Without pg_read_all_stats, other roles' statements all read as this text (grouped into one row here).
      if (row.query === hiddenText) hidden = row.calls;
      else if (statements.length < top && screenStatement(row.query).ok)
        statements.push({ id: row.id, query: row.query, calls: row.calls });
    }
    const note =
      hidden > 0
        ? `${hidden} calls of other roles' statements are hidden from this connection: read pg_stat_statements as a role with pg_read_all_stats`
        : undefined;
    return { statements, ...(note ? { note } : {}) };
  });
}

const jsonWorkload = z.array(
  z.union([
    z.string().min(1),
    z.strictObject({
      query: z.string().min(1),
      calls: z.number().nonnegative().optional(),
      id: z.string().min(1).optional(),
    }),
  ]),
);

/**
 * A workload file: `.json` holds an array of queries (strings, or `{ query, calls?, id? }`);
 * any other file holds SQL statements separated by semicolons, with `$1`-style parameters.
 * Statements are kept in file order (or by `calls` when given), and screened later.
 */
export async function readWorkloadFile(file: string): Promise<WorkloadStatement[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new AppError(
      'configuration_error',
      `workload file ${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const name = path.basename(file);
  if (file.endsWith('.json')) {
    let parsed;
    try {
      parsed = jsonWorkload.safeParse(JSON.parse(text));
    } catch (error) {
      throw new AppError('configuration_error', `${name} is not valid JSON: ${(error as Error).message}`);
    }
    if (!parsed.success)
      throw new AppError(
        'configuration_error',
        `${name}: expected an array of queries or { query, calls? }: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
      );
    const statements = parsed.data.map((item, index) =>
      typeof item === 'string'
        ? { id: `${name}#${index + 1}`, query: item }
        : {
            id: item.id ?? `${name}#${index + 1}`,
            query: item.query,
            ...(item.calls === undefined ? {} : { calls: item.calls }),
          },
    );
    return statements.some((s) => s.calls !== undefined)
      ? statements.sort((a, b) => (b.calls ?? 0) - (a.calls ?? 0))
      : statements;
  }
  const parsed = parseMigration(text);
  if (!parsed.ok) {
    const { line, column } = parsed.map.lineColumn(parsed.position);
    throw new AppError('configuration_error', `${name}:${line}:${column}: ${parsed.message}`);
  }
  return parsed.statements.map((s) => ({ id: `${name}:${parsed.map.lineColumn(s.start).line}`, query: s.sql }));
}
