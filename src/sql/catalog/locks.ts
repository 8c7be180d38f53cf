import type { RuleMeta } from '../types.ts';

const timeoutNote = 'schemagate applies migrations with its own lock_timeout and retries, so a blocked lock fails fast instead of queueing traffic behind it.';

/** Statements whose locks or table rewrites block traffic on existing tables. */
export const lockRules: RuleMeta[] = [
  {
    code: 'SG101', name: 'create-index-non-concurrent', category: 'lock', severity: 'warning', sizeSensitive: true,
    title: 'CREATE INDEX without CONCURRENTLY on an existing table',
    why: 'Takes a SHARE lock on the table for the whole index build: every INSERT, UPDATE and DELETE waits until the build finishes, which on a large table is minutes.',
    suggestion: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS ... in a migration of its own (it cannot run inside a transaction).',
  },
  {
    code: 'SG102', name: 'drop-index-non-concurrent', category: 'lock', severity: 'warning', sizeSensitive: true,
    title: 'DROP INDEX without CONCURRENTLY',
    why: 'Takes an ACCESS EXCLUSIVE lock on the index\'s table: all reads and writes wait, and the lock request itself queues behind long-running queries while blocking everyone after it.',
    suggestion: 'DROP INDEX CONCURRENTLY IF EXISTS ... in a migration of its own.',
  },
  {
    code: 'SG103', name: 'reindex-non-concurrent', category: 'lock', severity: 'warning', sizeSensitive: true,
    title: 'REINDEX without CONCURRENTLY',
    why: 'Locks out writes to the table and every read that would use the index for the duration of the rebuild.',
    suggestion: 'REINDEX (CONCURRENTLY) INDEX ... in a migration of its own.',
  },
  {
    code: 'SG104', name: 'add-column-rewrite', category: 'lock', severity: 'error', sizeSensitive: true,
    title: 'ADD COLUMN that rewrites the table',
    why: 'A volatile default (random(), gen_random_uuid(), uuid_generate_v4(), clock_timestamp(), nextval/serial), an identity or a stored generated column makes Postgres rewrite every row under an ACCESS EXCLUSIVE lock: no reads or writes until it finishes. Constant and stable defaults such as now() are stored in the catalog since Postgres 11 and are instant. A function that is neither a built-in known to be immutable or stable, nor declared so earlier in the migration or in production\'s catalog (when the preview supplies it), is assumed volatile. ALTER COLUMN ... SET DEFAULT never rewrites: it changes only what later inserts get, even in the ADD COLUMN\'s own statement.',
    suggestion: 'Add the column without a default (or with a constant one), set the default in a second ALTER, and backfill existing rows in batches.',
  },
  {
    code: 'SG105', name: 'alter-column-type-rewrite', category: 'lock', severity: 'warning', sizeSensitive: true,
    title: 'ALTER COLUMN TYPE that may rewrite the table',
    why: 'Changing a column type rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock, unless the change is binary-coercible (varchar(n) to varchar(m > n) or text, varchar to text, numeric precision increase).',
    suggestion: 'Add a new column of the new type, backfill it in batches, switch readers and writers, then drop the old column.',
  },
  {
    code: 'SG106', name: 'set-not-null-scan', category: 'lock', severity: 'warning', sizeSensitive: true,
    title: 'SET NOT NULL without a validated CHECK constraint',
    why: 'Postgres scans the whole table to verify the column under an ACCESS EXCLUSIVE lock. Since Postgres 12 the scan is skipped when a validated CHECK (col IS NOT NULL) already exists.',
    suggestion: 'ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID in one migration; VALIDATE CONSTRAINT c, SET NOT NULL and DROP CONSTRAINT c in the next.',
  },
  {
    code: 'SG107', name: 'foreign-key-validating', category: 'lock', severity: 'warning', sizeSensitive: true,
    title: 'ADD FOREIGN KEY without NOT VALID on an existing table',
    why: 'Validating the key scans the table while holding SHARE ROW EXCLUSIVE locks on both tables, blocking writes to both for the whole scan. A REFERENCES clause in ADD COLUMN is the same: it locks the referenced table too and validates at once, since an inline constraint cannot be NOT VALID.',
    suggestion: 'Add the column without REFERENCES; ADD CONSTRAINT fk FOREIGN KEY (...) REFERENCES ... NOT VALID; then, in a later migration, VALIDATE CONSTRAINT fk (takes a lock that allows writes).',
  },
  {
    code: 'SG108', name: 'check-constraint-validating', category: 'lock', severity: 'warning', sizeSensitive: true,
    title: 'ADD CHECK without NOT VALID on an existing table',
    why: 'Validating the constraint scans every row under an ACCESS EXCLUSIVE lock: no reads or writes meanwhile. A CHECK inline in ADD COLUMN is validated the same way.',
    suggestion: 'ADD CONSTRAINT c CHECK (...) NOT VALID; then, in a later migration, VALIDATE CONSTRAINT c, which takes only a SHARE UPDATE EXCLUSIVE lock.',
  },
  {
    code: 'SG109', name: 'unique-constraint-index-build', category: 'lock', severity: 'warning', sizeSensitive: true,
    title: 'ADD UNIQUE / PRIMARY KEY without USING INDEX',
    why: 'Builds the backing index under an ACCESS EXCLUSIVE lock, blocking reads and writes for the whole build; UNIQUE or PRIMARY KEY inline in ADD COLUMN too.',
    suggestion: 'CREATE UNIQUE INDEX CONCURRENTLY i ON t (...); then ALTER TABLE t ADD CONSTRAINT c UNIQUE USING INDEX i (or PRIMARY KEY USING INDEX i).',
  },
  {
    code: 'SG110', name: 'vacuum-full-or-cluster', category: 'lock', severity: 'error', sizeSensitive: true,
    title: 'VACUUM FULL or CLUSTER',
    why: 'Rewrites the whole table under an ACCESS EXCLUSIVE lock: every query on it waits until the copy is done.',
    suggestion: 'Use pg_repack or pg_squeeze outside of migrations; plain VACUUM does not block traffic.',
  },
  {
    code: 'SG111', name: 'concurrently-in-transaction', category: 'lock', severity: 'error',
    title: 'Non-transactional statement inside a transaction',
    why: 'CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, DETACH PARTITION CONCURRENTLY and VACUUM cannot run in a transaction block. schemagate runs a migration in one transaction unless every statement in it is non-transactional, so such a statement must be alone (or only with other non-transactional statements and SET).',
    suggestion: 'Move the statement into a migration of its own, without BEGIN/COMMIT.',
  },
  {
    code: 'SG112', name: 'detach-partition-non-concurrent', category: 'lock', severity: 'warning', sizeSensitive: true,
    title: 'DETACH PARTITION without CONCURRENTLY',
    why: 'Takes an ACCESS EXCLUSIVE lock on the partitioned table, blocking every query on all partitions.',
    suggestion: 'ALTER TABLE parent DETACH PARTITION child CONCURRENTLY, in a migration of its own.',
  },
  {
    code: 'SG113', name: 'domain-constraint-validating', category: 'lock', severity: 'warning',
    title: 'ALTER DOMAIN ADD CONSTRAINT without NOT VALID',
    why: 'Checks every column of every table using the domain while holding locks that block writes to them.',
    suggestion: 'ALTER DOMAIN d ADD CONSTRAINT c CHECK (...) NOT VALID; then ALTER DOMAIN d VALIDATE CONSTRAINT c.',
  },
  {
    code: 'SG114', name: 'missing-lock-timeout', category: 'lock', severity: 'info',
    title: 'ACCESS EXCLUSIVE lock without a lock_timeout',
    why: `A statement waiting for an ACCESS EXCLUSIVE lock blocks every later query on the table, even plain reads, for as long as it waits. ${timeoutNote}`,
    suggestion: "SET lock_timeout = '2s'; before the statement, if the migration is also applied by other tools.",
  },
  {
    code: 'SG115', name: 'preview-observed-rewrite', category: 'lock', severity: 'warning', sizeSensitive: true,
    title: 'Preview observed a table rewrite',
    why: 'Applying the migration on the preview branch rewrote a table; in production the rewrite holds an ACCESS EXCLUSIVE lock for a time proportional to the table size.',
    suggestion: 'Restructure the change so it does not rewrite (see the statement\'s other findings), or schedule it in a maintenance window.',
  },
  {
    code: 'SG116', name: 'preview-long-exclusive-lock', category: 'lock', severity: 'warning',
    title: 'Preview held an ACCESS EXCLUSIVE lock for long',
    why: 'On the preview branch the statement held an ACCESS EXCLUSIVE lock longer than the configured threshold; production traffic would queue for at least as long.',
    suggestion: 'Split the statement, use the concurrent or NOT VALID variant, or batch the work.',
  },
  {
    code: 'SG117', name: 'timeout-raised', category: 'lock', severity: 'warning',
    title: 'lock_timeout or statement_timeout raised above the policy',
    why: `schemagate applies migrations under policy.timeouts; a migration that raises them waits longer for its locks, and holds them longer, than the operator chose. ${timeoutNote}`,
    suggestion: 'Keep the timeouts at or below policy.timeouts, or ask the operator to raise them there; a reviewer who accepts the longer wait can suppress this with a reason.',
  },
  {
    code: 'SG118', name: 'not-valid-validated-in-same-migration', category: 'lock', severity: 'warning', sizeSensitive: true,
    title: 'ADD CONSTRAINT ... NOT VALID validated in the same migration',
    why: 'A migration runs in one transaction, and the lock ADD CONSTRAINT takes (ACCESS EXCLUSIVE for CHECK, SHARE ROW EXCLUSIVE on both tables for a foreign key) is held until commit: VALIDATE CONSTRAINT then scans the table under it, so NOT VALID blocks traffic exactly as long as adding the constraint validated.',
    suggestion: 'Add the constraint NOT VALID in one migration and VALIDATE CONSTRAINT it in the next, so the scan runs under the weaker SHARE UPDATE EXCLUSIVE lock alone.',
  },
];
