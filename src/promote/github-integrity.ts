import { eq } from 'drizzle-orm';
import { proposals } from '../../db/schema.ts';
import type { Db } from '../database/connection.ts';
import { sha256 } from '../hash.ts';
import type { IntegrityCheck, PromotionContext } from './promotion-context.ts';
import type { GithubReviewProvider } from '../review/github/github-review-provider.ts';

/**
 * Before production is touched: the pull request must still be at the commit
 * the approvals named (a push voids them, even if its webhook was missed),
 * and the migration file at that commit must hold exactly the approved bytes.
 *
 * @example
 * const deps = { ...promoteDeps, verifyReview: (context) => verifyGithubReview(db, github, context) };
 */
export async function verifyGithubReview(
  db: Db,
  github: GithubReviewProvider,
  context: PromotionContext,
): Promise<IntegrityCheck[]> {
  const [row] = await db
    .select({ pullNumber: proposals.pullNumber })
    .from(proposals)
    .where(eq(proposals.id, context.proposalId));
  if (!row?.pullNumber || !context.pinnedSha || !context.migrationPath) return [];
  const pull = await github.getPullRequest(row.pullNumber);
  const headOk = pull.headSha === context.pinnedSha;
  const file = await github.getFileAtCommit(context.migrationPath, context.pinnedSha);
  const onBranch = file ? sha256(file.content) : 'missing';
  return [
    {
      check: 'pull_request_head',
      ok: headOk,
      expected: context.pinnedSha,
      actual: pull.headSha,
      ...(headOk
        ? {}
        : {
            message: `pull request #${row.pullNumber} moved to ${pull.headSha.slice(0, 7)} after the approval of ${context.pinnedSha.slice(0, 7)}`,
          }),
    },
    {
      check: 'migration_file_at_commit',
      ok: onBranch === context.approvedSha256,
      expected: context.approvedSha256,
      actual: onBranch,
      ...(onBranch === context.approvedSha256
        ? {}
        : { message: `${context.migrationPath} at ${context.pinnedSha.slice(0, 7)} is not the approved SQL` }),
    },
  ];
}
