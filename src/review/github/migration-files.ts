import { AppError } from '../../errors.ts';
import type { GithubRepo } from './github-client.ts';
import { isGithubAnswer } from './github-request-error.ts';
import {
  isValidSlug,
  migrationsDir,
  nextMigrationFileName,
  parseMigrationPath,
  stripZeros,
} from '../../domain/migration-files.ts';

/** Where Netlify Database reads migrations from in the target repository. */
export const MIGRATIONS_DIR = migrationsDir;

/**
 * The file name for a new migration: `<YYYYMMDDHHMMSS>_<slug>.sql` in UTC,
 * its prefix unique among `existingPrefixes` once leading zeros are stripped
 * (Netlify's rules; see ../migration-files.ts). A bad slug or date is a
 * `validation_failed` error.
 *
 * @example
 *   migrationFileName(new Date('2026-11-24T10:30:00Z'), 'add_notes', new Set(['20261124103000']));
 *   // => '20261124103001_add_notes.sql'
 */
export function migrationFileName(now: Date, slug: string, existingPrefixes: Set<string>): string {
  if (!isValidSlug(slug)) {
    throw new AppError(
      'validation_failed',
      `Migration slug ${JSON.stringify(slug)} is not allowed: use only lower-case letters, digits, "_" and "-" (Netlify skips other names).`,
    );
  }
  if (Number.isNaN(now.getTime())) throw new AppError('validation_failed', 'Migration time is not a valid date.');
  return nextMigrationFileName(now, slug, new Set([...existingPrefixes].map(stripZeros)));
}

/**
 * The numeric prefixes already used under netlify/database/migrations at
 * `ref`: flat files `<digits>_<slug>.sql` and directories
 * `<digits>_<slug>/` (holding migration.sql). No directory means none.
 *
 * @example
 *   const prefixes = await listMigrationPrefixes({ client, owner, repo }, 'main');
 *   const name = migrationFileName(new Date(), 'add_notes', prefixes);
 */
export async function listMigrationPrefixes(target: GithubRepo, ref: string): Promise<Set<string>> {
  let entries: unknown;
  try {
    const response = await target.client.rest.repos.getContent({
      owner: target.owner,
      repo: target.repo,
      path: MIGRATIONS_DIR,
      ref,
    });
    entries = response.data;
  } catch (error) {
    if (isGithubAnswer(error, 404)) return new Set();
    throw error;
  }
  if (!Array.isArray(entries)) {
    throw new AppError(
      'remote_error',
      `${MIGRATIONS_DIR} at ${ref} in ${target.owner}/${target.repo} is not a directory.`,
    );
  }
  const prefixes = new Set<string>();
  for (const entry of entries as Array<{ name: string; type: string }>) {
    const parsed = parseMigrationPath(entry.type === 'dir' ? `${entry.name}/migration.sql` : entry.name);
    if (parsed) prefixes.add(parsed.prefix);
  }
  return prefixes;
}
