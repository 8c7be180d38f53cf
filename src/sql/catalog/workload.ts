import type { RuleMeta } from '../types.ts';

const expandContract =
  'Use expand/contract: change the application so it no longer depends on the old shape, deploy it, then change the schema in a later migration.';

/**
 * Findings of the preview's workload check: production's own query shapes
 * (pg_stat_statements or a workload file) prepared on the migrated branch,
 * never executed (src/preview/workload-compat.ts).
 */
export const workloadRules = [
  {
    code: 'SG501',
    name: 'workload-query-breaks',
    category: 'destructive',
    severity: 'error',
    title: 'A production query no longer plans after the migration',
    why: 'The running application sends this query now (pg_stat_statements or the workload file); on the migrated branch Postgres refuses to prepare it, for example because a column or table it names was dropped or renamed, or a type change left an operator undefined. Every call fails from the moment the migration commits until the application is deployed without it.',
    suggestion: expandContract,
  },
  {
    code: 'SG502',
    name: 'workload-insert-missing-required-column',
    category: 'destructive',
    severity: 'error',
    title: 'A production INSERT does not set a column the migration makes required',
    why: 'The migration adds a NOT NULL column without a default (or sets NOT NULL on a column) that an INSERT the application sends now leaves out: every such INSERT fails with a not-null violation.',
    suggestion:
      'Add the column with a default (or nullable), deploy the application writing it, backfill, then add NOT NULL in a later migration.',
  },
  {
    code: 'SG503',
    name: 'workload-plan-cost-regression',
    category: 'destructive',
    severity: 'warning',
    title: "A production query's estimated cost rises sharply after the migration",
    why: 'The generic plan of a query the application sends now costs far more on the migrated branch than before it (preview.workload.costFactor), usually because an index it used is gone or no longer matches.',
    suggestion:
      'Keep or replace the index the query uses (CREATE INDEX CONCURRENTLY before dropping the old one), or change the query first.',
  },
  {
    code: 'SG504',
    name: 'workload-index-scan-lost',
    category: 'destructive',
    severity: 'warning',
    title: 'A production query turns from an index scan into a sequential scan on a large table',
    why: "On the migrated branch the query reads the whole table where it used an index before; on a table at or above thresholds.largeTableRows (production's row estimate) each call then reads every row.",
    suggestion:
      'Keep or replace the index the query uses (CREATE INDEX CONCURRENTLY before dropping the old one), or change the query first.',
  },
] as const satisfies readonly RuleMeta<string>[];
