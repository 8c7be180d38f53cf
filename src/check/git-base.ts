import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AppError } from '../errors.ts';
import { migrationsDir, parseMigrationPath } from '../domain/migration-files.ts';
import { migrationFile, sortByOrder, type MigrationFile } from './migration-listing.ts';

const run = promisify(execFile);

export interface BaseMigrations {
  ref: string;
  /** The commit the ref resolved to. */
  commit: string;
  files: MigrationFile[];
}

/**
 * The migrations Netlify would have applied at `ref`, read from git without
 * touching the working tree (`git ls-tree`, then each blob's bytes).
 * Throws AppError `configuration_error` when `dir` is not in a git
 * repository or the ref names no commit.
 *
 * @example
 * const base = await readBaseMigrations('.', 'origin/main');
 * base.files.map((f) => f.name); // ['0001_init']
 */
export async function readBaseMigrations(dir: string, ref: string): Promise<BaseMigrations> {
  if (ref.startsWith('-')) throw new AppError('configuration_error', `--base "${ref}" is not a git ref`);
  let commit: string;
  try {
    commit = (await git(dir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).toString('utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new AppError('configuration_error', `--base needs git on the PATH and an existing directory (${dir})`);
    const reason = (error as { stderr?: Buffer }).stderr?.toString('utf8').trim();
    throw new AppError(
      'configuration_error',
      `--base "${ref}" names no commit in ${dir}${reason ? ` (${reason})` : ''}; fetch it first (actions/checkout with fetch-depth: 0) or pass a commit sha`,
    );
  }
  // Paths come back relative to `dir`, as the working tree is read.
  const listing = (await git(dir, ['ls-tree', '-r', '-z', commit, '--', migrationsDir])).toString('utf8');
  const files: MigrationFile[] = [];
  for (const line of listing.split('\0')) {
    const match = /^\d+ blob ([0-9a-f]+)\t(.+)$/.exec(line);
    if (!match?.[1] || !match[2]?.startsWith(`${migrationsDir}/`)) continue;
    const parsed = parseMigrationPath(match[2].slice(migrationsDir.length + 1));
    if (!parsed) continue;
    files.push(migrationFile(parsed, match[2], await git(dir, ['cat-file', 'blob', match[1]])));
  }
  return { ref, commit, files: sortByOrder(files) };
}

/**
 * Where `dir` sits inside its git repository (`sub/` or ``), so that paths
 * in annotations resolve from the repository root; `` outside a repository.
 *
 * @example
 * await repositoryPrefix('packages/api'); // 'packages/api/'
 */
export async function repositoryPrefix(dir: string): Promise<string> {
  try {
    return (await git(dir, ['rev-parse', '--show-prefix'])).toString('utf8').trim();
  } catch {
    return '';
  }
}

async function git(cwd: string, args: string[]): Promise<Buffer> {
  const { stdout } = await run('git', args, { cwd, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}
