import { databaseOnServer, databaseUrl, withClient } from '../database/server-admin.ts';
import type { BranchInfo, BranchProvider } from './branch-provider.ts';
import { estimatedRowsByName } from './production-sizes.ts';
import {
  checkWorkload,
  workloadCheckOptions,
  type WorkloadCheckOptions,
  type WorkloadCheckResult,
} from './workload-compat.ts';
import type { Policy } from '../sql/policy.ts';
import type { WorkloadConfig } from '../sql/workload-config.ts';
import { readWorkload, type Workload } from './workload-source.ts';

/** What a preview needs to check production's queries: where they come from, and the thresholds. */
export interface WorkloadPreview {
  /** Production's query shapes (readWorkload); read once per preview. */
  read: () => Promise<Workload>;
  /** Row counts from production's catalog, so "large" is judged on production and not a sampled branch. */
  tableRows?: (relations: string[]) => Promise<Map<string, number>>;
  options: WorkloadCheckOptions;
}

/**
 * The preview's compatibility step: reads the workload and checks every
 * query on the migrated branch (checkWorkload). When the plans there show
 * something to compare, it clones a twin of the branch's base (the state
 * before the migration, with the same data and statistics) and plans the
 * queries there too; the twin is always dropped. Without a twin (the
 * provider is at its branch limit) every failure counts.
 *
 * @example
 * const compatibility = await previewWorkload(provider, branch, { read: () => readWorkload(productionUrl, config.preview.workload), options });
 */
export async function previewWorkload(
  provider: BranchProvider,
  branch: BranchInfo,
  input: WorkloadPreview,
): Promise<WorkloadCheckResult> {
  const workload = await input.read();
  if (workload.statements.length === 0)
    return {
      source: workload.source,
      ...(workload.note ? { note: workload.note } : {}),
      checked: 0,
      skipped: [],
      issues: [],
      durationMs: 0,
      perStatementMs: 0,
    };
  let twin: BranchInfo | undefined;
  let twinNote: string | undefined;
  const before = async () => {
    try {
      twin = await provider.create(twinName(branch.name));
      return twin.url;
    } catch (error) {
      twinNote = `no branch before the migration to compare with (${(error as Error).message}): plans were not compared`;
      return undefined;
    }
  };
  try {
    const result = await checkWorkload({
      workload,
      afterUrl: branch.url,
      before,
      ...(input.tableRows ? { tableRows: input.tableRows } : {}),
      options: input.options,
    });
    const note = [result.note, twinNote].filter(Boolean).join('; ');
    return { ...result, ...(note ? { note } : {}) };
  } finally {
    if (twin) await provider.drop(twin.name).catch(() => {});
  }
}

/**
 * The workload check as configured: queries from production (pg_stat_statements or the file),
 * sizes from production's catalog, thresholds from the policy. Undefined when turned off.
 * pg_stat_statements is read with the preview server's admin rights when production lives on
 * that server: the migrator role may not see other roles' statements (pg_read_all_stats).
 *
 * @example
 * const workload = workloadPreview(config.productionUrl, config.preview.workload, config.policy, config.previewServerUrl);
 */
export function workloadPreview(
  productionUrl: string,
  config: WorkloadConfig | undefined,
  policy: Policy,
  previewServerUrl?: string,
): WorkloadPreview | undefined {
  if (!config || config.source === 'off') return undefined;
  const statsUrl = previewServerUrl
    ? (adminOnSameServer(productionUrl, previewServerUrl) ?? productionUrl)
    : productionUrl;
  return {
    read: () => readWorkload(statsUrl, config),
    tableRows: (relations) => productionTableRows(productionUrl, relations),
    options: workloadCheckOptions(policy, config.costFactor),
  };
}

/** Production's database through the preview server's admin URL, when both are the same server. */
export function adminOnSameServer(productionUrl: string, serverUrl: string): string | undefined {
  const name = databaseOnServer(productionUrl, serverUrl);
  return name ? databaseUrl(serverUrl, name) : undefined;
}

/** `<branch>_before`, cut to Postgres' 63-character identifiers. */
export function twinName(branch: string): string {
  return `${branch.slice(0, 63 - '_before'.length)}_before`;
}

/**
 * Estimated rows of production's tables with these names, in any schema (estimatedRowsByName):
 * the sizes that decide whether a lost index scan is on a large table.
 *
 * @example
 * const rows = await productionTableRows(productionUrl, ['users']); // Map { 'users' => 1200000 }
 */
export function productionTableRows(productionUrl: string, relations: string[]): Promise<Map<string, number>> {
  return withClient(productionUrl, (client) => estimatedRowsByName(client, relations));
}
