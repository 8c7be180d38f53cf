import path from 'node:path';
import { migrationTimestamp, migrationsDir, parseMigrationPath } from '../domain/migration-files.ts';

/**
 * The name a migration gets in `netlify.migrations`: the file name without
 * `.sql` (or the directory of a `<name>/migration.sql`), so a later Netlify
 * deploy of the same file sees it as applied. Without a file, the proposal's
 * creation time and name: stable across retries, which idempotency needs.
 *
 * @example
 * ledgerName({ migrationPath: 'netlify/database/migrations/20261124103000_add_notes.sql', name: 'add_notes', createdAt }); // '20261124103000_add_notes'
 * ledgerName({ migrationPath: null, name: 'add_notes', createdAt: new Date('2026-11-24T10:30:00Z') });                      // '20261124103000_add_notes'
 */
export function ledgerName(proposal: { migrationPath: string | null; name: string; createdAt: Date }): string {
  if (proposal.migrationPath) {
    const relative = path.posix.relative(migrationsDir, proposal.migrationPath);
    const parsed = parseMigrationPath(
      relative.startsWith('..') ? path.posix.basename(proposal.migrationPath) : relative,
    );
    if (parsed) return parsed.name;
    const base = path.posix.basename(proposal.migrationPath);
    return base === 'migration.sql'
      ? path.posix.basename(path.posix.dirname(proposal.migrationPath))
      : base.replace(/\.sql$/, '');
  }
  return `${migrationTimestamp(proposal.createdAt)}_${proposal.name}`;
}
