import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { proposalRevisions, proposals } from '../../db/schema.ts';
import { advisoryXactLockSql } from '../database/advisory-locks.ts';
import { recordEvent } from '../database/audit-events.ts';
import type { Db, Tx } from '../database/connection.ts';
import { allowedFrom, canHappen } from '../domain/lifecycle.ts';
import { AppError } from '../errors.ts';
import { migrationsDir, nextMigrationFileName, parseMigrationPath } from '../domain/migration-files.ts';
import { submitReview, type ApprovalPolicy } from './reviews.ts';

/**
 * Local review, for the embedded default and teams without GitHub: the
 * proposal's SQL is written, byte for byte, into the repository's
 * migrations directory, and reviews approve its sha256.
 *
 * @example
 * const { migrationPath } = await publishLocalReview(db, { repositoryDir: '.', proposalId, now: new Date() });
 */
export async function publishLocalReview(
  db: Db,
  input: { repositoryDir: string; proposalId: string; now: Date },
): Promise<{ migrationPath: string; pinnedSha: string }> {
  const [row] = await db
    .select({
      name: proposals.name,
      migrationPath: proposals.migrationPath,
      sql: proposalRevisions.sql,
      sha256: proposalRevisions.sha256,
    })
    .from(proposals)
    .innerJoin(
      proposalRevisions,
      and(eq(proposalRevisions.proposalId, proposals.id), eq(proposalRevisions.number, proposals.currentRevision)),
    )
    .where(eq(proposals.id, input.proposalId));
  if (!row) throw new AppError('not_found', `no proposal with id ${input.proposalId}`);

  const dir = path.join(input.repositoryDir, migrationsDir);
  await mkdir(dir, { recursive: true });

  const migrationPath = await db.transaction(async (tx) => {
    // Workers publishing at once (several previews in a process, several serve processes) would read
    // the same directory and take the same number, which Netlify refuses: one at a time, on the control plane.
    await tx.execute(advisoryXactLockSql('local_review.migration_files'));
    // A revision rewrites the same file: it has not been applied anywhere yet.
    const migrationPath =
      row.migrationPath ??
      path.posix.join(migrationsDir, nextMigrationFileName(input.now, row.name, await existingOrders(dir)));
    await writeFile(path.join(input.repositoryDir, migrationPath), row.sql);
    await tx
      .update(proposals)
      .set({
        migrationPath,
        pinnedSha: row.sha256,
        reviewUrl: `/api/proposals/${input.proposalId}`,
        updatedAt: sql`now()`,
      })
      .where(eq(proposals.id, input.proposalId));
    await recordEvent(tx, {
      proposalId: input.proposalId,
      type: 'review.published',
      actor: 'schemagate',
      data: { provider: 'local', migration_path: migrationPath, sha256: row.sha256 },
    });
    return migrationPath;
  });
  return { migrationPath, pinnedSha: row.sha256 };
}

/**
 * Fails at start-up, with `local_review_unwritable`, when local review is
 * configured but its migrations directory cannot be written: a deployed
 * Netlify function runs from a read-only directory, and without this check
 * every preview would end `awaiting_review` with no file to review. It
 * writes (and removes) a probe file, so a permission, a read-only mount or a
 * path through a file are all caught the same way. GitHub review needs no
 * filesystem.
 *
 * @example
 * await assertLocalReviewWritable(config.review); // at start-up, before serving
 */
export async function assertLocalReviewWritable(review: {
  provider: 'local' | 'github';
  repositoryDir: string;
}): Promise<void> {
  if (review.provider !== 'local') return;
  const dir = path.join(review.repositoryDir, migrationsDir);
  const probe = path.join(dir, `.schemagate-probe-${randomUUID()}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, '');
    await rm(probe);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new AppError(
      'local_review_unwritable',
      `local review writes each proposal into ${dir}, which cannot be written here (${reason}); ` +
        'a deployed Netlify function runs on a read-only filesystem, so review in GitHub there: set SCHEMAGATE_REVIEW_PROVIDER=github, ' +
        'GITHUB_REPOSITORY, GITHUB_WEBHOOK_SECRET and GITHUB_TOKEN (or a GitHub App); see docs/deploy-netlify.md. ' +
        'Elsewhere, point SCHEMAGATE_REPOSITORY_DIR at a writable checkout.',
      { repository_dir: review.repositoryDir, reason },
    );
  }
}

async function existingOrders(dir: string): Promise<Set<string>> {
  const entries = await readdir(dir, { withFileTypes: true });
  const orders = new Set<string>();
  for (const entry of entries) {
    const parsed = parseMigrationPath(entry.isDirectory() ? `${entry.name}/migration.sql` : entry.name);
    if (parsed) orders.add(parsed.order);
  }
  return orders;
}

export type LocalVerdict = 'APPROVED' | 'CHANGES_REQUESTED' | 'REJECTED' | 'COMMENTED';

/**
 * A local reviewer's verdict on what schemagate pinned, in the caller's
 * transaction. `sha256`, when given, is what the reviewer read: a proposal
 * that moved on since is refused.
 *
 * @example
 * await db.transaction((tx) => reviewLocally(tx, config.policy.approvals, { proposalId, reviewer: 'dana', state: 'APPROVED' }));
 */
export async function reviewLocally(
  tx: Tx,
  policy: ApprovalPolicy,
  input: {
    proposalId: string;
    reviewer: string;
    state: LocalVerdict;
    comment?: string | undefined;
    sha256?: string | undefined;
  },
) {
  const [proposal] = await tx
    .select({ pinnedSha: proposals.pinnedSha, status: proposals.status })
    .from(proposals)
    .where(eq(proposals.id, input.proposalId));
  if (!proposal) throw new AppError('not_found', `no proposal with id ${input.proposalId}`);
  if (!canHappen(proposal.status, 'approve')) {
    throw new AppError(
      'illegal_transition',
      `proposal ${input.proposalId} is ${proposal.status}; reviews are taken while it is ${allowedFrom('approve').join(' or ')}`,
    );
  }
  if (!proposal.pinnedSha)
    throw new AppError('illegal_transition', `proposal ${input.proposalId} is not under review yet`);
  if (input.sha256 !== undefined && input.sha256 !== proposal.pinnedSha) {
    throw new AppError(
      'conflict',
      `the proposal changed since it was read: it now pins ${proposal.pinnedSha}, not ${input.sha256}; review the new revision`,
      {
        pinned_sha256: proposal.pinnedSha,
      },
    );
  }
  return submitReview(tx, policy, {
    proposalId: input.proposalId,
    reviewer: input.reviewer,
    state: input.state,
    commitSha: proposal.pinnedSha,
    permission: 'write',
    source: 'local',
    body: input.comment,
  });
}
