import { and, eq, isNotNull } from 'drizzle-orm';
import { reviews as reviewRows } from '../../db/schema.ts';
import { recordEvent } from '../database/audit-events.ts';
import type { Tx } from '../database/connection.ts';
import type { Permission, ReviewInput } from '../domain/approval.ts';
import type { GithubReviewProvider } from './github/github-review-provider.ts';

/** A submitted review as GitHub lists it, with its reviewer's permission read alongside. */
export interface GithubReview {
  id: number;
  login: string;
  /** Upper case, as the REST API gives it. */
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';
  commitSha: string | null;
  submittedAt: Date;
  body: string;
  permission: Permission;
}

const submittedStates: ReadonlySet<string> = new Set(['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED']);

/**
 * Every submitted review on a pull request as GitHub has it now, with each
 * reviewer's current permission. This list, not the webhook that prompted
 * reading it, is what approvals are decided from: a delivery can arrive
 * late, out of order or replayed; the list cannot. Pending reviews and
 * reviews by deleted accounts are left out.
 *
 * @example
 * const reviews = await readGithubReviews(github, 7); // [{ id, login: 'alice', state: 'APPROVED', commitSha, permission: 'write', ... }]
 */
export async function readGithubReviews(github: GithubReviewProvider, pullNumber: number): Promise<GithubReview[]> {
  const listed = (await github.listReviews(pullNumber)).filter(
    (r) => r.login !== '' && r.submittedAt !== null && submittedStates.has(r.state),
  );
  const logins = [...new Set(listed.map((r) => r.login))];
  const permissions = new Map(
    await Promise.all(
      logins.map(async (login) => [login, (await github.getPermission(login)).permission as Permission] as const),
    ),
  );
  return listed.map((r) => ({
    id: r.id,
    login: r.login,
    state: r.state as GithubReview['state'],
    commitSha: r.commitId,
    submittedAt: new Date(r.submittedAt!),
    body: r.body,
    permission: permissions.get(r.login) ?? 'none',
  }));
}

/** The policy's view of GitHub's reviews. */
export function approvalInputs(reviews: readonly GithubReview[]): ReviewInput[] {
  return reviews.map((r) => ({
    reviewer: r.login,
    state: r.state,
    commitSha: r.commitSha,
    permission: r.permission,
    submittedAt: r.submittedAt,
    reviewId: r.id,
  }));
}

/**
 * Mirrors GitHub's reviews into `schemagate.reviews`, one row per GitHub
 * review id, inside the caller's transaction (which holds the proposal's
 * lock): a review seen for the first time is recorded with the revision
 * under review, a review whose state changed (a dismissal) is updated, and
 * each of these writes an audit event. Re-reading an unchanged list writes
 * nothing.
 *
 * @example
 * await recordGithubReviews(tx, { id: proposalId, currentRevision: 2 }, await readGithubReviews(github, 7));
 */
export async function recordGithubReviews(
  tx: Tx,
  proposal: { id: string; currentRevision: number },
  reviews: readonly GithubReview[],
): Promise<void> {
  if (reviews.length === 0) return;
  const stored = await tx
    .select({ externalId: reviewRows.externalId, state: reviewRows.state })
    .from(reviewRows)
    .where(and(eq(reviewRows.proposalId, proposal.id), isNotNull(reviewRows.externalId)));
  const known = new Map(stored.map((r) => [r.externalId, r.state]));
  for (const review of reviews) {
    const before = known.get(review.id);
    if (before === undefined) {
      await tx.insert(reviewRows).values({
        proposalId: proposal.id,
        revision: proposal.currentRevision,
        reviewer: review.login,
        state: review.state,
        commitSha: review.commitSha,
        permission: review.permission,
        source: 'github',
        body: review.body || null,
        externalId: review.id,
      });
      await recordEvent(tx, {
        proposalId: proposal.id,
        type: 'review.submitted',
        actor: `github:${review.login}`,
        data: {
          state: review.state,
          commit: review.commitSha,
          revision: proposal.currentRevision,
          github_review: review.id,
          permission: review.permission,
        },
      });
    } else if (before !== review.state) {
      await tx
        .update(reviewRows)
        .set({ state: review.state })
        .where(and(eq(reviewRows.proposalId, proposal.id), eq(reviewRows.externalId, review.id)));
      await recordEvent(tx, {
        proposalId: proposal.id,
        type: review.state === 'DISMISSED' ? 'review.dismissed' : 'review.updated',
        // The list says what changed, not who changed it.
        actor: 'github',
        data: { github_review: review.id, reviewer: review.login, from: before, to: review.state },
      });
    }
  }
}
