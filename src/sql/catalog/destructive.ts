import type { RuleMeta } from '../types.ts';

const expandContract = 'Use expand/contract: stop using the object in the application first, deploy, then drop it in a later migration.';

/** Statements that lose data or break running application code. */
export const destructiveRules: RuleMeta[] = [
  {
    code: 'SG201', name: 'drop-table', category: 'destructive', severity: 'error',
    title: 'DROP TABLE',
    why: 'Deletes the table and all its rows; code still reading it fails at once. Also takes an ACCESS EXCLUSIVE lock.',
    suggestion: expandContract,
  },
  {
    code: 'SG202', name: 'drop-column', category: 'destructive', severity: 'error',
    title: 'DROP COLUMN',
    why: 'Loses the column\'s data; running code that selects or inserts it fails until it is deployed without it.',
    suggestion: expandContract,
  },
  {
    code: 'SG203', name: 'drop-schema', category: 'destructive', severity: 'error',
    title: 'DROP SCHEMA',
    why: 'Removes every object in the schema (with CASCADE) or fails half-way through a deploy (without).',
    suggestion: 'Drop the objects one by one in reviewed migrations, then the empty schema.',
  },
  {
    code: 'SG204', name: 'truncate', category: 'destructive', severity: 'error',
    title: 'TRUNCATE',
    why: 'Deletes every row, and takes an ACCESS EXCLUSIVE lock.',
    suggestion: 'Delete the rows you mean in batches with a WHERE clause, or explain the data loss in a suppression.',
  },
  {
    code: 'SG205', name: 'delete-without-where', category: 'destructive', severity: 'error',
    title: 'DELETE without WHERE',
    why: 'Deletes every row of the table in one transaction, holding row locks on all of them.',
    suggestion: 'Add a WHERE clause; delete large sets in batches.',
  },
  {
    code: 'SG206', name: 'update-without-where', category: 'destructive', severity: 'warning',
    title: 'UPDATE without WHERE',
    why: 'Rewrites every row in one transaction: all rows stay locked until commit and the table doubles in size until vacuumed.',
    suggestion: 'Backfill in batches (WHERE id BETWEEN ...), outside the schema migration if possible.',
  },
  {
    code: 'SG207', name: 'rename-table', category: 'destructive', severity: 'warning',
    title: 'Table rename',
    why: 'Running application code still uses the old name and fails as soon as the migration commits.',
    suggestion: 'Create the new table (or a view with the new name), migrate readers and writers, then drop the old name later.',
  },
  {
    code: 'SG208', name: 'rename-column', category: 'destructive', severity: 'warning',
    title: 'Column rename',
    why: 'Running application code still uses the old column name and fails as soon as the migration commits.',
    suggestion: 'Add the new column, write to both, backfill, switch readers, then drop the old column.',
  },
  {
    code: 'SG209', name: 'narrowing-type-change', category: 'destructive', severity: 'error',
    title: 'Column type narrowed',
    why: 'Values that do not fit the new type make the migration fail, or are silently rounded (numeric scale); code writing wider values breaks afterwards.',
    suggestion: 'Keep the wider type and add a CHECK constraint (NOT VALID, then VALIDATE) if the range must be limited.',
  },
  {
    code: 'SG210', name: 'drop-not-null', category: 'destructive', severity: 'warning',
    title: 'DROP NOT NULL',
    why: 'Code that relies on the column never being NULL can break once NULLs are written.',
    suggestion: 'Make sure every reader handles NULL before relaxing the constraint.',
  },
  {
    code: 'SG211', name: 'drop-default', category: 'destructive', severity: 'warning',
    title: 'DROP DEFAULT',
    why: 'Inserts that omit the column now write NULL, or fail on a NOT NULL column.',
    suggestion: 'Deploy code that always sets the column before dropping the default.',
  },
  {
    code: 'SG212', name: 'cascade', category: 'destructive', severity: 'error',
    title: 'CASCADE',
    why: 'Silently drops or alters every dependent object (views, foreign keys, columns), which the reviewer cannot see in the migration.',
    suggestion: 'Drop the dependent objects explicitly, each in the migration, and use RESTRICT (the default).',
  },
  {
    code: 'SG213', name: 'add-required-column', category: 'destructive', severity: 'error',
    title: 'ADD COLUMN NOT NULL without a default',
    why: 'Existing rows would hold NULL in the new column, so the ALTER fails on any table that has a row; on an empty table it succeeds, and then every INSERT of the running application that does not name the column fails. PRIMARY KEY implies NOT NULL. A DEFAULT set by a later ALTER COLUMN, even in the same statement, does not fill existing rows.',
    suggestion: "Add the column with a constant default (ADD COLUMN c text NOT NULL DEFAULT '', instant since Postgres 11); or add it nullable, backfill in batches, then add NOT NULL (CHECK (c IS NOT NULL) NOT VALID, VALIDATE in a later migration, SET NOT NULL).",
  },
];
