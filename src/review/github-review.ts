import { and, desc, eq, sql } from 'drizzle-orm';
import { agents, previewRuns, proposalRevisions, proposals } from '../../db/schema.ts';
import { recordEvent } from '../database/audit-events.ts';
import type { Db } from '../database/connection.ts';
import { AppError } from '../errors.ts';
import type { Policy } from '../sql/policy.ts';
import type { GithubReviewProvider } from './github/github-review-provider.ts';
import { migrationFileName, MIGRATIONS_DIR } from './github/migration-files.ts';
import { renderReport } from './report.ts';

export interface GithubReviewSettings {
  baseBranch: string;
  policy: Policy;
  /** Commit statuses work with a token; check runs need a GitHub App. */
  statusMode: 'status' | 'check';
}

/**
 * Puts a previewed proposal under review in GitHub: a pull request on
 * `schemagate/<id>` holding the migration file and the report, labelled by
 * risk, with the policy's reviewers requested. A revision commits to the
 * same branch and rewrites the report. The new head commit is pinned: only
 * approvals of that commit count.
 *
 * @example
 * await publishGithubReview(db, github, { baseBranch: 'main', policy, statusMode: 'status' }, proposalId, new Date());
 */
export async function publishGithubReview(
  db: Db,
  github: GithubReviewProvider,
  settings: GithubReviewSettings,
  proposalId: string,
  now: Date,
): Promise<{ pullNumber: number; headSha: string }> {
  const proposal = await loadForReview(db, proposalId);
  const risk = (proposal.riskClass ?? 'high') as 'low' | 'medium' | 'high' | 'forbidden';
  const migrationPath =
    proposal.migrationPath ??
    `${MIGRATIONS_DIR}/${migrationFileName(now, proposal.name, await github.listMigrationPrefixes(settings.baseBranch))}`;
  const body = renderReport({
    proposal: {
      id: proposal.id,
      title: proposal.title,
      description: proposal.description,
      agent: proposal.agent,
      revision: proposal.revision,
      sha256: proposal.sha256,
      migrationPath,
    },
    result: proposal.result as Parameters<typeof renderReport>[0]['result'],
  });

  let pullNumber = proposal.pullNumber;
  let headSha: string;
  let url = proposal.reviewUrl;
  if (pullNumber === null) {
    const reviewers = risk === 'forbidden' ? [] : (settings.policy.approvals[risk].reviewers ?? []);
    const opened = await github.openReview({
      baseBranch: settings.baseBranch,
      proposalId,
      migrationPath,
      sql: proposal.sql,
      title: `schemagate: ${proposal.title}`,
      body,
      labels: ['schemagate', `risk:${risk}`],
      reviewers: reviewers.filter((r) => !r.includes('/')),
      teamReviewers: reviewers.filter((r) => r.includes('/')).map((r) => r.split('/')[1]!),
    });
    ({ pullNumber, headSha, url } = opened);
  } else {
    headSha = (
      await github.updateReview({
        pullNumber,
        migrationPath,
        sql: proposal.sql,
        body,
        message: `schemagate: revision ${proposal.revision}`,
      })
    ).headSha;
  }
  const required =
    risk === 'forbidden'
      ? 'never approvable (forbidden statements)'
      : `${settings.policy.approvals[risk].approvals} approval(s) needed`;
  await github.setStatus({
    headSha,
    state: risk === 'forbidden' ? 'failure' : 'pending',
    description: `risk ${risk}: ${required}`,
    mode: settings.statusMode,
  });

  await db.transaction(async (tx) => {
    await tx
      .update(proposals)
      .set({ pullNumber, migrationPath, pinnedSha: headSha, reviewUrl: url, updatedAt: sql`now()` })
      .where(eq(proposals.id, proposalId));
    await recordEvent(tx, {
      proposalId,
      type: 'review.published',
      actor: 'schemagate',
      data: {
        provider: 'github',
        pull_request: pullNumber,
        url,
        head: headSha,
        migration_path: migrationPath,
        sha256: proposal.sha256,
      },
    });
  });
  return { pullNumber, headSha };
}

async function loadForReview(db: Db, proposalId: string) {
  const [row] = await db
    .select({
      id: proposals.id,
      title: proposals.title,
      description: proposals.description,
      name: proposals.name,
      riskClass: proposals.riskClass,
      migrationPath: proposals.migrationPath,
      pullNumber: proposals.pullNumber,
      reviewUrl: proposals.reviewUrl,
      revision: proposals.currentRevision,
      sql: proposalRevisions.sql,
      sha256: proposalRevisions.sha256,
      agent: agents.name,
    })
    .from(proposals)
    .innerJoin(
      proposalRevisions,
      and(eq(proposalRevisions.proposalId, proposals.id), eq(proposalRevisions.number, proposals.currentRevision)),
    )
    .innerJoin(agents, eq(agents.id, proposals.agentId))
    .where(eq(proposals.id, proposalId));
  if (!row) throw new AppError('not_found', `no proposal with id ${proposalId}`);
  const [preview] = await db
    .select({ result: previewRuns.result })
    .from(previewRuns)
    .where(
      and(
        eq(previewRuns.proposalId, proposalId),
        eq(previewRuns.revision, row.revision),
        eq(previewRuns.status, 'succeeded'),
      ),
    )
    .orderBy(desc(previewRuns.createdAt))
    .limit(1);
  return { ...row, result: preview?.result ?? null };
}
