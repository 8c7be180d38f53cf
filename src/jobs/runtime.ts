import { hostname } from 'node:os';
import type { Config } from '../config.ts';
import type { Db } from '../database/connection.ts';
import { createPostgresBranchProvider, type PostgresBranchProvider } from '../preview/postgres-branch-provider.ts';
import { githubProvider, statusMode } from '../review/github-setup.ts';
import { publishGithubReview } from '../review/github-review.ts';
import { publishLocalReview } from '../review/local-review.ts';
import { readWorkingTreeMigrations } from '../check/migration-listing.ts';
import { createPreviewExecutor, ledgerHistory } from './preview-executor.ts';
import { readProductionSizes } from '../preview/production-sizes.ts';
import { functionVolatility, functionVolatilityQuery } from '../sql/function-volatility.ts';
import { processNextPreview, type PreviewExecutor, type WorkerDeps } from './preview-worker.ts';
import type { PromoteDeps } from '../promote/promote.ts';
import type { PromotionContext } from '../promote/promotion-context.ts';
import { verifyGithubReview } from '../promote/github-integrity.ts';
import { drainPromotions } from '../promote/promotion-worker.ts';
import type { GithubReviewProvider } from '../review/github/github-review-provider.ts';
import { reportPromotion } from '../promote/promotion-report.ts';
import { expireIdleProposals } from '../proposals/expire.ts';
import { withClient } from '../database/server-admin.ts';
import { columnTypes } from '../schema/column-types.ts';
import { introspectSchema } from '../schema/introspect.ts';
import { workloadPreview } from '../preview/workload-preview.ts';

/**
 * The preview worker as configured: branches of PRODUCTION_DATABASE_URL on
 * PREVIEW_DATABASE_URL, history from the repository's migrations that
 * production's ledger lists, and the configured review provider.
 *
 * @example
 * const deps = previewWorkerDeps(config, db, console.error);
 * await drainPreviews(deps, { maxRuns: 10 });
 */
export function previewWorkerDeps(
  config: Config,
  db: Db,
  log: (message: string) => void,
  provider = branchProvider(config),
  github = githubProvider(config, log),
): WorkerDeps {
  return {
    db,
    worker: `${hostname()}:${process.pid}`,
    leaseMs: config.preview.leaseSeconds * 1000,
    log,
    execute: executorFor(config, provider),
    publish: async (proposalId) => {
      if (github) {
        await publishGithubReview(
          db,
          github,
          { baseBranch: config.github!.baseBranch, policy: config.policy, statusMode: statusMode(config) },
          proposalId,
          new Date(),
        );
      } else {
        await publishLocalReview(db, { repositoryDir: config.review.repositoryDir, proposalId, now: new Date() });
      }
    },
  };
}

/** The `postgres` branch provider for the configured production, or undefined when there is none. */
export function branchProvider(config: Config): PostgresBranchProvider | undefined {
  const { productionUrl, previewServerUrl } = config;
  if (!productionUrl || !previewServerUrl) return undefined;
  return createPostgresBranchProvider({
    productionUrl,
    previewServerUrl,
    baseMode: config.preview.baseMode,
    sampleRows: config.preview.sampleRows,
    maxBranches: config.preview.maxBranches,
    ttlMs: config.preview.ttlHours * 3_600_000,
    copyMethod: config.preview.copyMethod,
  });
}

function executorFor(config: Config, provider: PostgresBranchProvider | undefined): PreviewExecutor {
  const { productionUrl } = config;
  if (!productionUrl || !provider) {
    return async () => ({
      ok: false,
      result: {
        error: {
          kind: 'configuration',
          message:
            'no production database: set PRODUCTION_DATABASE_URL (and PREVIEW_DATABASE_URL for a separate preview server)',
        },
      },
    });
  }
  return createPreviewExecutor({
    provider,
    policy: config.policy,
    history: async () => {
      const { files } = await readWorkingTreeMigrations(config.review.repositoryDir);
      return ledgerHistory(productionUrl, new Map(files.map((f) => [f.name, f.bytes.toString('utf8')])));
    },
    existingColumns: async () => columnTypes(await withClient(productionUrl, (client) => introspectSchema(client))),
    functionVolatility: async () =>
      functionVolatility(
        (
          await withClient(productionUrl, (client) =>
            client.query<{ schema: string; name: string; volatility: string }>(functionVolatilityQuery),
          )
        ).rows,
      ),
    productionSizes: (tables) => withClient(productionUrl, (client) => readProductionSizes(client, tables)),
    workload: workloadPreview(productionUrl, config.preview.workload, config.policy, config.previewServerUrl),
  });
}

/**
 * Runs queued previews until none is left, or the limits are reached (a
 * Netlify background function has 15 minutes).
 */
export async function drainPreviews(
  deps: WorkerDeps,
  limits: { maxRuns: number; deadline?: number } = { maxRuns: 25 },
): Promise<number> {
  let done = 0;
  while (done < limits.maxRuns && (limits.deadline === undefined || Date.now() < limits.deadline)) {
    if ((await processNextPreview(deps)) === 'idle') break;
    done++;
  }
  return done;
}

/** The promotion worker as configured, or undefined when there is no production database. */
export function promotionWorkerDeps(
  config: Config,
  db: Db,
  log: (message: string) => void,
  github = githubProvider(config, log),
): PromoteDeps | undefined {
  if (!config.productionUrl) return undefined;
  return {
    ...(github ? { verifyReview: (context: PromotionContext) => verifyGithubReview(db, github, context) } : {}),
    db,
    productionUrl: config.productionUrl,
    timeouts: config.policy.timeouts,
    log,
    worker: `${hostname()}:${process.pid}`,
    leaseMs: config.preview.leaseSeconds * 1000,
    repositoryDir: config.review.provider === 'local' ? config.review.repositoryDir : undefined,
  };
}

/**
 * Runs queued previews, then queued promotions, reporting each promotion to
 * its pull request when review happens in GitHub.
 */
/** The preview and promotion workers of one process, sharing its branch provider and GitHub client. */
export interface JobWorkers {
  previews: WorkerDeps;
  promotions: PromoteDeps | undefined;
  github: GithubReviewProvider | undefined;
  provider: PostgresBranchProvider | undefined;
}

/**
 * The workers as configured, on one control-plane handle: what `serve`'s
 * in-process worker and the jobs background function both run.
 *
 * @example
 * const workers = jobWorkers(config, database.db, console.error);
 * await drainJobs(config, workers, { maxRuns: 50 });
 */
export function jobWorkers(config: Config, db: Db, log: (message: string) => void): JobWorkers {
  const provider = branchProvider(config);
  const github = githubProvider(config, log);
  return {
    previews: previewWorkerDeps(config, db, log, provider, github),
    promotions: promotionWorkerDeps(config, db, log, github),
    github,
    provider,
  };
}

export async function drainJobs(
  config: Config,
  workers: Omit<JobWorkers, 'provider'>,
  limits: { maxRuns: number; deadline?: number },
): Promise<{ previews: number; promotions: number }> {
  const previews = await drainPreviews(workers.previews, limits);
  const results = workers.promotions ? await drainPromotions(workers.promotions, limits) : [];
  for (const result of results) {
    if (!workers.github) continue;
    await reportPromotion(workers.previews.db, workers.github, result, {
      mergeMethod: config.review.mergeMethod,
      statusMode: statusMode(config),
    }).catch((error: unknown) =>
      workers.previews.log?.(`reporting promotion ${result.promotionId} to GitHub failed: ${(error as Error).message}`),
    );
  }
  return { previews, promotions: results.length };
}

/**
 * Once-a-minute housekeeping: proposals idle past `proposals.expireAfterDays`,
 * branches past their TTL. With a deadline (the scheduled sweeper's budget)
 * it stops dropping branches once the deadline passes; the next sweep drops the rest.
 */
export async function sweepOnce(
  config: Config,
  db: Db,
  provider: PostgresBranchProvider | undefined,
  deadline?: number,
): Promise<{ dropped: string[]; expired: string[] }> {
  const expired = await expireIdleProposals(db, { afterDays: config.proposals.expireAfterDays, now: new Date() });
  if (!provider) return { dropped: [], expired };
  if (deadline === undefined) return { dropped: await provider.dropExpired(), expired };
  const ttlMs = config.preview.ttlHours * 3_600_000;
  const dropped: string[] = [];
  for (const branch of await provider.list()) {
    if (Date.now() >= deadline) break;
    if (Date.now() - branch.createdAt.getTime() <= ttlMs) continue;
    await provider.drop(branch.name);
    dropped.push(branch.name);
  }
  return { dropped, expired };
}
