import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { migrationsDir, parseMigrationPath } from './migration-files.ts';

/**
 * The migrations of a repository checkout, by Netlify name (flat and
 * directory forms), with their exact SQL. A missing directory is empty.
 *
 * @example
 * const files = await readMigrationDirectory('.'); // Map { '20261124103000_add_notes' => 'create table ...' }
 */
export async function readMigrationDirectory(repositoryDir: string): Promise<Map<string, string>> {
  const dir = path.join(repositoryDir, migrationsDir);
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const files = new Map<string, string>();
  for (const entry of entries) {
    const relative = entry.isDirectory() ? `${entry.name}/migration.sql` : entry.name;
    const parsed = parseMigrationPath(relative);
    if (!parsed) continue;
    const sql = await readFile(path.join(dir, relative), 'utf8').catch(() => undefined);
    if (sql !== undefined) files.set(parsed.name, sql);
  }
  return files;
}
