import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256 } from '../hash.ts';
import { migrationsDir, parseMigrationPath, type MigrationName } from '../domain/migration-files.ts';

/** A migration file Netlify would apply, with its exact bytes. */
export interface MigrationFile extends MigrationName {
  /** Path relative to the repository directory, e.g. `netlify/database/migrations/0001_init.sql`. */
  path: string;
  bytes: Buffer;
  sha256: string;
}

/** A file in the migrations directory that Netlify's hosted build would skip without a word. */
export interface SkippedFile {
  path: string;
  reason: string;
}

export interface MigrationListing {
  /** In the order Netlify applies them. */
  files: MigrationFile[];
  skipped: SkippedFile[];
}

/**
 * Every migration of the working tree under `netlify/database/migrations`
 * (flat `<digits>_<slug>.sql` and `<digits>_<slug>/migration.sql`), and the
 * `.sql` files and directories there that Netlify would skip. Other files
 * (a README, `.gitkeep`) are not migrations and are ignored.
 *
 * @example
 * const { files, skipped } = await readWorkingTreeMigrations('.');
 * files.map((f) => f.name); // ['0001_init', '0002_add_notes']
 */
export async function readWorkingTreeMigrations(repositoryDir: string): Promise<MigrationListing> {
  const dir = path.join(repositoryDir, migrationsDir);
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const files: MigrationFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const isDir = entry.isDirectory();
    if (!isDir && !entry.name.endsWith('.sql')) continue;
    const relative = isDir ? `${entry.name}/migration.sql` : entry.name;
    const bytes = await readFile(path.join(dir, relative)).catch(() => undefined);
    const shown = `${migrationsDir}/${isDir ? `${entry.name}/` : entry.name}`;
    if (bytes === undefined) {
      skipped.push({ path: shown, reason: isDir ? 'the directory has no migration.sql' : 'the file cannot be read' });
      continue;
    }
    const parsed = parseMigrationPath(relative);
    if (parsed) files.push(migrationFile(parsed, `${migrationsDir}/${relative}`, bytes));
    else skipped.push({ path: shown, reason: skipReason(isDir ? entry.name : entry.name.slice(0, -'.sql'.length)) });
  }
  return { files: sortByOrder(files), skipped: skipped.sort((a, b) => a.path.localeCompare(b.path)) };
}

export function migrationFile(name: MigrationName, filePath: string, bytes: Buffer): MigrationFile {
  return { ...name, path: filePath, bytes, sha256: sha256(bytes) };
}

/** Netlify's order: the numeric prefix (leading zeros stripped), compared as a number. */
export function compareOrder(a: string, b: string): number {
  const [x, y] = [BigInt(a), BigInt(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

export function sortByOrder<T extends MigrationName>(files: T[]): T[] {
  return [...files].sort((a, b) => compareOrder(a.order, b.order) || a.name.localeCompare(b.name));
}

function skipReason(base: string): string {
  const match = /^(\d+)_(.*)$/.exec(base);
  if (!match) return `"${base}" does not start with a numeric prefix and an underscore (<digits>_<slug>)`;
  return `its slug "${match[2]}" does not match [a-z0-9_-]+ (lower-case letters, digits, _ and - only)`;
}
