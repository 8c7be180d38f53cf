// Whether the reviews on a proposal add up to an approval of exactly the
// change schemagate pinned. Pure: the caller fetches reviews and permissions.

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';
export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export interface ReviewInput {
  reviewer: string;
  /** Either case: webhooks send `approved`, the REST API `APPROVED`. */
  state: string;
  commitSha: string | null;
  permission: Permission;
  submittedAt: Date;
  /** GitHub's review id, when known: orders reviews submitted in the same second. */
  reviewId?: number | undefined;
}

export interface ApprovalContext {
  /** The head commit (or local content hash) the preview and report describe. */
  pinnedSha: string;
  author: string;
  /** The account the agent's changes are made with; it can never approve. */
  agentLogin?: string | undefined;
  required: number;
  /** When set, only these reviewers count (logins, compared case-insensitively). */
  allowedReviewers?: readonly string[] | undefined;
}

export interface ApprovalDecision {
  satisfied: boolean;
  approvedBy: string[];
  blockedBy: string[];
  ignored: Array<{ reviewer: string; reason: string }>;
  required: number;
}

const canWrite = (p: Permission) => p === 'admin' || p === 'maintain' || p === 'write';
const same = (a: string, b: string | undefined) => b !== undefined && a.toLowerCase() === b.toLowerCase();

/**
 * Decides an approval as GitHub branch protection would, but stricter: only
 * each reviewer's latest review counts, only on the pinned commit, only from
 * someone with write access who is neither the author nor the agent, and any
 * outstanding "changes requested" from such a reviewer blocks.
 *
 * @example
 * evaluateApproval(reviews, { pinnedSha: head, author: 'sg-bot', required: 1 }).satisfied
 */
export function evaluateApproval(reviews: readonly ReviewInput[], context: ApprovalContext): ApprovalDecision {
  const latest = new Map<string, ReviewInput & { state: ReviewState }>();
  const inOrder = [...reviews].sort(
    (a, b) => a.submittedAt.getTime() - b.submittedAt.getTime() || (a.reviewId ?? 0) - (b.reviewId ?? 0),
  );
  for (const review of inOrder) {
    const state = review.state.toUpperCase() as ReviewState;
    // A comment does not replace an earlier verdict; a dismissal withdraws it.
    if (state === 'COMMENTED') continue;
    latest.set(review.reviewer.toLowerCase(), { ...review, state });
  }

  const approvedBy: string[] = [];
  const blockedBy: string[] = [];
  const ignored: ApprovalDecision['ignored'] = [];
  for (const review of latest.values()) {
    if (review.state === 'DISMISSED') continue;
    const reason = disqualification(review, context);
    if (reason) {
      ignored.push({ reviewer: review.reviewer, reason });
      continue;
    }
    if (review.state === 'CHANGES_REQUESTED') blockedBy.push(review.reviewer);
    else if (review.state === 'APPROVED') {
      if (review.commitSha === context.pinnedSha) approvedBy.push(review.reviewer);
      else
        ignored.push({
          reviewer: review.reviewer,
          reason: `approved ${short(review.commitSha)}, not the pinned head ${short(context.pinnedSha)}`,
        });
    }
  }
  return {
    satisfied: blockedBy.length === 0 && approvedBy.length >= context.required,
    approvedBy,
    blockedBy,
    ignored,
    required: context.required,
  };
}

function disqualification(review: ReviewInput, context: ApprovalContext): string | undefined {
  if (same(review.reviewer, context.author)) return 'the author cannot approve their own change';
  if (same(review.reviewer, context.agentLogin)) return "the agent's account cannot approve";
  if (!canWrite(review.permission)) return `has ${review.permission} permission; write or more is needed`;
  if (context.allowedReviewers && !context.allowedReviewers.some((r) => same(review.reviewer, r)))
    return 'is not among the reviewers this risk class requires';
  return undefined;
}

const short = (sha: string | null) => (sha ? sha.slice(0, 7) : 'no commit');
