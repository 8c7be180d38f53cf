import { migrationsDir } from '../domain/migration-files.ts';
import type { CheckedMigration, CheckProblem } from './check-result.ts';
import { compareOrder, type MigrationFile, type MigrationListing } from './migration-listing.ts';

/** What is already applied, and what its bytes were. */
export interface AppliedSource {
  names: ReadonlySet<string>;
  /** sha256 by name from production's schemagate.ledger: checked first. */
  ledger?: ReadonlyMap<string, string>;
  /** The base ref's files by name: checked when the ledger has no row. */
  base?: ReadonlyMap<string, MigrationFile>;
}

export type ClassifiedMigration = MigrationFile & Pick<CheckedMigration, 'status' | 'verifiedBy'>;

/**
 * Splits the working tree's migrations into applied and new, and reports
 * every naming, ordering and immutability problem at once.
 *
 * @example
 * const { migrations, problems } = checkHistory(await readWorkingTreeMigrations(dir), { names: new Set(['0001_init']) });
 * problems.map((p) => p.code); // ['out_of_order']
 */
export function checkHistory(
  listing: MigrationListing,
  applied: AppliedSource,
): { migrations: ClassifiedMigration[]; problems: CheckProblem[] } {
  const problems: CheckProblem[] = listing.skipped.map((skipped) => ({
    code: 'name_skipped',
    file: skipped.path,
    message: `Netlify's hosted build would skip this file without a word: ${skipped.reason}.`,
    suggestion: skipped.reason.includes('migration.sql')
      ? 'Put the SQL in migration.sql inside the directory.'
      : 'Rename it to <digits>_<slug>.sql with a slug of [a-z0-9_-]+, e.g. 20260101120000_add_notes.sql.',
  }));
  const migrations = listing.files.map((file) => classify(file, applied, problems));

  const byOrder = new Map<string, ClassifiedMigration[]>();
  for (const m of migrations) byOrder.set(m.order, [...(byOrder.get(m.order) ?? []), m]);
  for (const group of byOrder.values()) {
    if (group.length < 2) continue;
    // The applied one keeps the prefix; every other file is the one to rename.
    const [kept, ...others] = [...group].sort(
      (a, b) => Number(b.status === 'applied') - Number(a.status === 'applied') || a.name.localeCompare(b.name),
    );
    for (const other of others) {
      problems.push({
        code: 'duplicate_prefix',
        file: other.path,
        message: `${other.name} and ${kept!.name} share the numeric prefix ${other.order} once leading zeros are stripped; Netlify requires it to be unique.`,
        suggestion: `Rename ${other.name} with a later, unused timestamp prefix.`,
      });
    }
  }

  const lastApplied = migrations.filter((m) => m.status === 'applied').at(-1);
  for (const file of migrations.filter((m) => m.status === 'new')) {
    if (!lastApplied || compareOrder(file.order, lastApplied.order) >= 0) continue;
    problems.push({
      code: 'out_of_order',
      file: file.path,
      message: `${file.name} is new but sorts before ${lastApplied.name}, which is already applied: databases that have ${lastApplied.name} would apply it out of order.`,
      suggestion: `Rename it with a prefix after ${lastApplied.prefix}.`,
    });
  }

  const present = new Set(migrations.map((m) => m.name));
  for (const name of [...applied.names].filter((n) => !present.has(n)).sort()) {
    const file = applied.base?.get(name)?.path ?? `${migrationsDir}/${name}.sql`;
    problems.push({
      code: 'applied_missing',
      file,
      message: `${name} is applied but no longer in the repository (deleted or renamed).`,
      suggestion: 'Restore the file byte for byte; to undo it, add a new migration instead.',
    });
  }
  return { migrations, problems };
}

function classify(file: MigrationFile, applied: AppliedSource, problems: CheckProblem[]): ClassifiedMigration {
  if (!applied.names.has(file.name)) return { ...file, status: 'new' };
  const recorded = applied.ledger?.get(file.name);
  const base = applied.base?.get(file.name);
  const verifiedBy = recorded !== undefined ? 'ledger' : base ? 'base' : 'unverified';
  const expected = recorded ?? base?.sha256;
  if (expected !== undefined && expected !== file.sha256) {
    const line = base && recorded === undefined ? firstDifferentLine(base.bytes, file.bytes) : undefined;
    problems.push({
      code: 'applied_modified',
      file: file.path,
      ...(line ? { line, column: 1 } : {}),
      message: `${file.name} is already applied but its bytes changed (sha256 ${short(expected)} applied, ${short(file.sha256)} now${verifiedBy === 'ledger' ? ", per production's schemagate.ledger" : ''}).`,
      suggestion: 'Restore the applied file byte for byte and put the change in a new migration.',
    });
  }
  return { ...file, status: 'applied', verifiedBy };
}

function firstDifferentLine(before: Buffer, after: Buffer): number {
  const [a, b] = [before.toString('utf8').split('\n'), after.toString('utf8').split('\n')];
  const index = a.findIndex((line, i) => line !== b[i]);
  return index === -1 ? 1 : index + 1;
}

const short = (hex: string) => hex.slice(0, 12);
