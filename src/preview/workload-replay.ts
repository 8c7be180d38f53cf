import type { Policy } from '../sql/policy.ts';
import type { BranchInspection } from './workload-plans.ts';
import { checkWorkload, inspectWorkload, workloadCheckOptions, type WorkloadCheckResult } from './workload-compat.ts';
import { readWorkload, type Workload } from './workload-source.ts';

export interface ReplayWorkloadCheck {
  /** Hooks for replayMigrations: plan before the first new migration and after the last, on the replay database. */
  around: { beforeNew: (runnerUrl: string) => Promise<void>; afterNew: (runnerUrl: string) => Promise<void> };
  /** The check's result once the replay reached the end; undefined when it stopped earlier. */
  result: () => WorkloadCheckResult | undefined;
}

/**
 * The workload check for `schemagate check`: production's pg_stat_statements
 * (with a production URL) or a workload file, planned on the replay database
 * just before the new migrations and after them. The replay database is
 * built from migrations alone, without rows: queries that stop planning
 * (SG501) and INSERTs that miss a new required column (SG502) are found;
 * plan regressions need data and are left to the preview. Undefined when
 * there is no source of queries.
 *
 * @example
 * const workload = await replayWorkloadCheck({ productionUrl, file: 'workload.sql' }, policy);
 * await replayMigrations(serverUrl, files, policy.timeouts, workload?.around);
 * const compatibility = workload?.result();
 */
export async function replayWorkloadCheck(
  source: { productionUrl?: string; file?: string },
  policy: Policy,
): Promise<ReplayWorkloadCheck | undefined> {
  if (!source.productionUrl && !source.file) return undefined;
  const workload: Workload = await readWorkload(source.productionUrl, {
    source: 'auto',
    top: 200,
    ...(source.file ? { file: source.file } : {}),
  });
  const options = workloadCheckOptions(policy);
  let before: BranchInspection | undefined;
  let result: WorkloadCheckResult | undefined;
  return {
    around: {
      beforeNew: async (url) => void (before = await inspectWorkload(url, workload, options)),
      afterNew: async (url) => {
        try {
          result = await checkWorkload({ workload, afterUrl: url, ...(before ? { before } : {}), options });
        } catch (error) {
          // A replay built from migrations alone may lack what production's queries read: say so, do not fail the whole check.
          result = {
            source: workload.source,
            note: `the workload check did not complete: ${(error as Error).message}`,
            checked: 0,
            skipped: [],
            issues: [],
            durationMs: 0,
            perStatementMs: 0,
          };
        }
      },
    },
    result: () => result,
  };
}
