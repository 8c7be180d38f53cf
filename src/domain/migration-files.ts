// Netlify Database's migration naming: netlify/database/migrations/
// <digits>_<slug>.sql or <digits>_<slug>/migration.sql, slug [a-z0-9_-]+,
// and the numeric prefix unique once leading zeros are stripped.

export const migrationsDir = 'netlify/database/migrations';

export interface MigrationName {
  /** The name Netlify records in netlify.migrations: the file or directory name without `.sql`. */
  name: string;
  prefix: string;
  /** The prefix with leading zeros stripped, as Netlify compares them. */
  order: string;
  slug: string;
}

const slugPattern = /^[a-z0-9_-]+$/;
const namePattern = /^(\d+)_(.+)$/;

/**
 * Reads a migration's name from its path relative to the migrations
 * directory: `20261124103000_add_notes.sql` or `20261124103000_add_notes/migration.sql`.
 * Returns undefined for anything Netlify would not apply.
 *
 * @example
 * parseMigrationPath('0001_init.sql'); // { name: '0001_init', prefix: '0001', order: '1', slug: 'init' }
 */
export function parseMigrationPath(relativePath: string): MigrationName | undefined {
  const parts = relativePath.split('/');
  let base: string | undefined;
  if (parts.length === 1 && parts[0]?.endsWith('.sql')) base = parts[0].slice(0, -'.sql'.length);
  else if (parts.length === 2 && parts[1] === 'migration.sql') base = parts[0];
  const match = base ? namePattern.exec(base) : null;
  if (!base || !match?.[1] || !match[2] || !slugPattern.test(match[2])) return undefined;
  return { name: base, prefix: match[1], order: stripZeros(match[1]), slug: match[2] };
}

export const isValidSlug = (slug: string) => slugPattern.test(slug);

export const stripZeros = (digits: string) => digits.replace(/^0+(?=\d)/, '');

/**
 * The `YYYYMMDDHHMMSS` prefix (UTC) of a migration created at `time`.
 *
 * @example
 * migrationTimestamp(new Date('2026-11-24T10:30:00Z')); // '20261124103000'
 */
export const migrationTimestamp = (time: Date) => time.toISOString().replace(/[-:T]/g, '').slice(0, 14);

/**
 * `<YYYYMMDDHHMMSS>_<slug>.sql` for `now` (UTC), moved forward a second at a
 * time until its prefix collides with none of `existingOrders` (prefixes
 * with leading zeros stripped).
 *
 * @example
 * nextMigrationFileName(new Date('2026-11-24T10:30:00Z'), 'add_notes', new Set()); // '20261124103000_add_notes.sql'
 */
export function nextMigrationFileName(now: Date, slug: string, existingOrders: ReadonlySet<string>): string {
  if (!isValidSlug(slug)) throw new Error(`migration slug ${JSON.stringify(slug)} must match [a-z0-9_-]+`);
  for (let t = now.getTime(); ; t += 1000) {
    const prefix = migrationTimestamp(new Date(t));
    if (!existingOrders.has(stripZeros(prefix))) return `${prefix}_${slug}.sql`;
  }
}
