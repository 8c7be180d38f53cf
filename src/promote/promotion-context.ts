import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { and, asc, desc, eq } from 'drizzle-orm';
import { previewRuns, proposalRevisions, proposals, reviews } from '../../db/schema.ts';
import type { DbOrTx } from '../database/connection.ts';
import { canHappen, type Status } from '../domain/lifecycle.ts';
import { sha256 } from '../hash.ts';
import { ledgerName } from './migration-name.ts';
import type { PromotionRun } from './promotion-runs.ts';

/** Everything the control plane knows about the revision a promotion run is to apply. */
export interface PromotionContext {
  proposalId: string;
  status: Status;
  /** False when a revision, withdrawal or rejection overtook the run: it must not apply. */
  current: boolean;
  revision: number;
  sql: string;
  /** sha256 stored with the revision. */
  revisionSha256: string;
  /** sha256 the reviewers approved (the promotions row). */
  approvedSha256: string;
  migrationPath: string | null;
  pinnedSha: string | null;
  name: string;
  approvers: string[];
  /** Production's head when the latest successful preview of this revision started; null if none was recorded. */
  previewHead: string | null;
}

/**
 * Reads the proposal, revision, approvals and preview head behind a run.
 *
 * @example
 * const context = await loadPromotionContext(db, run);
 * if (!context?.current) return 'superseded';
 */
export async function loadPromotionContext(db: DbOrTx, run: PromotionRun): Promise<PromotionContext | undefined> {
  const [proposal] = await db.select().from(proposals).where(eq(proposals.id, run.proposalId));
  const [revision] = await db
    .select()
    .from(proposalRevisions)
    .where(and(eq(proposalRevisions.proposalId, run.proposalId), eq(proposalRevisions.number, run.revision)));
  if (!proposal || !revision) return undefined;
  const approvers = await db
    .selectDistinct({ reviewer: reviews.reviewer })
    .from(reviews)
    .where(
      and(eq(reviews.proposalId, run.proposalId), eq(reviews.revision, run.revision), eq(reviews.state, 'APPROVED')),
    )
    .orderBy(asc(reviews.reviewer));
  const [preview] = await db
    .select({ head: previewRuns.productionHead })
    .from(previewRuns)
    .where(
      and(
        eq(previewRuns.proposalId, run.proposalId),
        eq(previewRuns.revision, run.revision),
        eq(previewRuns.status, 'succeeded'),
      ),
    )
    .orderBy(desc(previewRuns.finishedAt))
    .limit(1);
  const status = proposal.status;
  // A promotion may start from here, or one is under way (a claimant died mid-promotion).
  const promotable = canHappen(status, 'start_promotion') || canHappen(status, 'promotion_succeeded');
  return {
    proposalId: proposal.id,
    status,
    current: promotable && proposal.currentRevision === run.revision,
    revision: run.revision,
    sql: revision.sql,
    revisionSha256: revision.sha256,
    approvedSha256: run.sha256,
    migrationPath: proposal.migrationPath,
    pinnedSha: proposal.pinnedSha,
    name: ledgerName(proposal),
    approvers: approvers.map((a) => a.reviewer),
    previewHead: preview?.head ?? null,
  };
}

export interface IntegrityCheck {
  check: 'revision_sha256' | 'approved_sha256' | 'migration_file' | 'pull_request_head' | 'migration_file_at_commit';
  ok: boolean;
  expected: string;
  actual: string;
  message?: string;
}

/**
 * Security invariant 2: what reaches production is byte-identical to what was
 * previewed and approved. The SQL's own hash must equal the revision's and
 * the approval's; under local review (pinned_sha is a sha256, not a commit)
 * the file in the repository must still hash to it too.
 *
 * @example
 * const checks = await checkIntegrity(context, { repositoryDir: '.' });
 * if (checks.some((c) => !c.ok)) // refuse to apply
 */
export async function checkIntegrity(
  context: PromotionContext,
  options: { repositoryDir?: string | undefined },
): Promise<IntegrityCheck[]> {
  const actual = sha256(context.sql);
  const checks: IntegrityCheck[] = [
    { check: 'revision_sha256', ok: actual === context.revisionSha256, expected: context.revisionSha256, actual },
    { check: 'approved_sha256', ok: actual === context.approvedSha256, expected: context.approvedSha256, actual },
  ];
  const pinnedIsContentHash = context.pinnedSha !== null && /^[0-9a-f]{64}$/.test(context.pinnedSha);
  if (context.migrationPath && pinnedIsContentHash && options.repositoryDir) {
    const file = path.join(options.repositoryDir, context.migrationPath);
    const bytes = await readFile(file).catch(() => undefined);
    const onDisk = bytes ? sha256(bytes) : 'missing';
    const ok = onDisk === context.pinnedSha && context.pinnedSha === context.approvedSha256;
    checks.push({
      check: 'migration_file',
      ok,
      expected: context.pinnedSha!,
      actual: onDisk,
      ...(ok
        ? {}
        : {
            message: bytes
              ? `${context.migrationPath} changed after it was approved`
              : `${context.migrationPath} is missing from ${options.repositoryDir}`,
          }),
    });
  }
  for (const c of checks) {
    if (!c.ok && !c.message)
      c.message = `${c.check.replaceAll('_', ' ')} mismatch: expected ${c.expected}, got ${c.actual}`;
  }
  return checks;
}
