import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PreviewError } from '../errors.ts';

/** Where pg_dump and psql live; undefined means "on the PATH". */
export interface ClientTools {
  binDir?: string | undefined;
  /**
   * How a base copy is made: `pg_dump` (pg_dump | psql), `in-process` (the
   * catalog and COPY over the connection, for runtimes without client tools,
   * such as a Netlify function), or `auto` (default): pg_dump when it can dump
   * production, else in-process.
   */
  copyMethod?: 'auto' | 'pg_dump' | 'in-process' | undefined;
}

/** A connection string split so the password travels in the environment, not in `ps` output. */
function connection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { dbname: parsed.toString(), env: password ? { ...process.env, PGPASSWORD: password } : { ...process.env } };
}

function bin(tools: ClientTools, name: 'pg_dump' | 'psql'): string {
  return tools.binDir ? path.join(tools.binDir, name) : name;
}

/**
 * Major version of pg_dump, or null when it cannot be run.
 *
 * @example
 * await pgDumpMajor({ binDir: '/usr/lib/postgresql/18/bin' }) // 18
 */
export async function pgDumpMajor(tools: ClientTools): Promise<number | null> {
  const output = await run(bin(tools, 'pg_dump'), ['--version'], {}).catch(() => '');
  const major = Number(/\(PostgreSQL\)\s+(\d+)/.exec(output)?.[1] ?? NaN);
  return Number.isNaN(major) ? null : major;
}

/**
 * Fails with `client_tools_too_old` when pg_dump cannot dump this server:
 * pg_dump refuses servers of a newer major version than its own.
 *
 * @example
 * await assertPgDumpCanDump({ binDir: '/usr/bin' }, 150004);
 */
export async function assertPgDumpCanDump(tools: ClientTools, serverVersionNum: number): Promise<void> {
  const major = await pgDumpMajor(tools);
  const serverMajor = Math.floor(serverVersionNum / 10000);
  if (major === null || major < serverMajor) {
    throw new PreviewError(
      'client_tools_too_old',
      `pg_dump ${major ?? '(not found)'} cannot copy a PostgreSQL ${serverMajor} production; ` +
        `install PostgreSQL ${serverMajor} client tools and pass their directory as pgBinDir`,
      { pgDump: major, serverMajor },
    );
  }
}

/**
 * `pg_dump <args> <source> | psql <target>`, stopping at the first error.
 *
 * @example
 * await dumpInto({}, prodUrl, baseUrl, ['--schema-only']);
 */
export async function dumpInto(
  tools: ClientTools,
  sourceUrl: string,
  targetUrl: string,
  dumpArgs: string[],
): Promise<void> {
  const source = connection(sourceUrl);
  const dump = spawn(
    bin(tools, 'pg_dump'),
    [...dumpArgs, '--no-owner', '--no-privileges', `--dbname=${source.dbname}`],
    { env: source.env },
  );
  await intoPsql(tools, dump, targetUrl, ['--file=-']);
}

/**
 * Streams `COPY (<query>) TO STDOUT` on the source into `COPY <target> FROM STDIN`,
 * optionally inside an exported snapshot so every table sees the same moment.
 *
 * @example
 * await copyQuery({}, prodUrl, 'select * from only public.users limit 10', baseUrl, 'public.users (id, name)', snapshotId);
 */
export async function copyQuery(
  tools: ClientTools,
  sourceUrl: string,
  query: string,
  targetUrl: string,
  targetTable: string,
  snapshot?: string,
): Promise<void> {
  const source = connection(sourceUrl);
  const inSnapshot = snapshot
    ? [
        '-c',
        'begin isolation level repeatable read read only',
        '-c',
        `set transaction snapshot '${snapshot.replaceAll("'", "''")}'`,
      ]
    : [];
  const out = spawn(
    bin(tools, 'psql'),
    [
      '-X',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      ...inSnapshot,
      '-c',
      `copy (${query}) to stdout`,
      `--dbname=${source.dbname}`,
    ],
    {
      env: source.env,
    },
  );
  await intoPsql(tools, out, targetUrl, ['-c', `copy ${targetTable} from stdin`]);
}

async function intoPsql(
  tools: ClientTools,
  producer: ChildProcess,
  targetUrl: string,
  psqlArgs: string[],
): Promise<void> {
  const target = connection(targetUrl);
  const consumer = spawn(
    bin(tools, 'psql'),
    ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...psqlArgs, `--dbname=${target.dbname}`],
    {
      env: target.env,
      stdio: ['pipe', 'ignore', 'pipe'],
    },
  );
  producer.stdout?.pipe(consumer.stdin!);
  // A consumer that dies early closes the pipe; the producer's EPIPE is reported through its exit code.
  consumer.stdin!.on('error', () => {});
  const [produced, consumed] = await Promise.all([finished(producer), finished(consumer)]);
  if (produced.code !== 0 || consumed.code !== 0) {
    throw new PreviewError(
      'base_copy_failed',
      `copying into ${new URL(targetUrl).pathname.slice(1)} failed: ${(produced.stderr + consumed.stderr).trim()}`,
      {
        producer: produced,
        consumer: consumed,
      },
    );
  }
}

function finished(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 8000) stderr += chunk.toString();
  });
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ code: -1, stderr: `${stderr}${error.message}\n` }));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

async function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const { code, stderr } = await finished(child);
  if (code !== 0)
    throw new PreviewError('client_tools_too_old', `${command} is not usable: ${stderr.trim() || `exit ${code}`}`);
  return stdout;
}
