import { and, eq } from 'drizzle-orm';
import { agents, promotions, proposalRevisions, proposals, reviews } from '../../db/schema.ts';
import { recordEvent } from '../database/audit-events.ts';
import type { DbOrTx, Tx } from '../database/connection.ts';
import { evaluateApproval, type ApprovalDecision, type Permission, type ReviewInput } from '../domain/approval.ts';
import { canHappen, type LifecycleEvent, type Status } from '../domain/lifecycle.ts';
import { AppError } from '../errors.ts';
import type { Proposal } from '../proposals/proposal-queries.ts';
import { transitionProposal } from '../proposals/transition.ts';
import { approvalInputs, recordGithubReviews, type GithubReview } from './github-reviews.ts';
import { notifyJobs } from '../queue/job-signal.ts';
import { cancelQueuedPromotions } from '../queue/promotion-queue.ts';

export interface ApprovalRule {
  approvals: number;
  reviewers?: string[] | undefined;
}
/** Approvals required per risk class; `forbidden` has none: it can never be approved. */
export type ApprovalPolicy = Record<'low' | 'medium' | 'high', ApprovalRule>;

export interface ReviewSubmission {
  proposalId: string;
  reviewer: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'REJECTED';
  commitSha: string | null;
  permission: Permission;
  source: 'local';
  body?: string | undefined;
}

export type TeamCheck = (team: string, login: string) => Promise<boolean>;

/**
 * Records a local review and applies its consequence in the caller's
 * transaction: an approval that satisfies the policy moves the proposal to
 * `approved` and queues its promotion; a change request moves it to
 * `changes_requested`; a rejection ends it.
 *
 * @example
 * await db.transaction((tx) => submitReview(tx, policy, { proposalId, reviewer: 'dana', state: 'APPROVED', commitSha: pinned, permission: 'write', source: 'local' }));
 */
export async function submitReview(
  tx: Tx,
  policy: ApprovalPolicy,
  review: ReviewSubmission,
): Promise<{ status: Status; decision: ApprovalDecision }> {
  const proposal = await lockProposal(tx, review.proposalId);
  await tx.insert(reviews).values({
    proposalId: review.proposalId,
    revision: proposal.currentRevision,
    reviewer: review.reviewer,
    state: review.state,
    commitSha: review.commitSha,
    permission: review.permission,
    source: review.source,
    body: review.body ?? null,
  });
  const actor = `${review.source}:${review.reviewer}`;
  await recordEvent(tx, {
    proposalId: review.proposalId,
    type: 'review.submitted',
    actor,
    data: { state: review.state, commit: review.commitSha, revision: proposal.currentRevision },
  });
  if (review.state === 'REJECTED') {
    const { to } = await transitionProposal(tx, { proposalId: review.proposalId, event: 'reject', actor });
    return { status: to, decision: await decide(policy, proposal, await storedReviews(tx, proposal), undefined) };
  }
  return settle(tx, policy, proposal, actor, await storedReviews(tx, proposal), undefined);
}

export interface GithubSettlement {
  proposalId: string;
  /** GitHub's list of reviews on the pull request, read just before (readGithubReviews). */
  reviews: readonly GithubReview[];
  actor: string;
  agentLogin?: string | undefined;
  isTeamMember?: TeamCheck | undefined;
}

/**
 * Decides a proposal reviewed in GitHub from GitHub's list of reviews on its
 * pull request, inside the caller's transaction: the list is mirrored into
 * `schemagate.reviews`, then the proposal moves as the policy says (approved
 * with a promotion queued, changes_requested, or back to awaiting_review
 * when an approval went away). The order webhooks arrived in plays no part.
 * As in GitHub, a change request stays outstanding until its reviewer
 * approves or it is dismissed, across pushes and revisions; approvals count
 * only on the pinned head, so every new head needs new ones.
 *
 * @example
 * await settleGithubReviews(tx, policy, { proposalId, reviews: await readGithubReviews(github, pullNumber), actor: 'github:alice' });
 */
export async function settleGithubReviews(
  tx: Tx,
  policy: ApprovalPolicy,
  input: GithubSettlement,
): Promise<{ status: Status; decision: ApprovalDecision }> {
  const proposal = await lockProposal(tx, input.proposalId);
  await recordGithubReviews(tx, proposal, input.reviews);
  return settle(tx, policy, proposal, input.actor, approvalInputs(input.reviews), input.agentLogin, input.isTeamMember);
}

async function settle(
  tx: Tx,
  policy: ApprovalPolicy,
  proposal: LockedProposal,
  actor: string,
  reviewed: ReviewInput[],
  agentLogin: string | undefined,
  isTeamMember?: TeamCheck,
) {
  const decision = await decide(policy, proposal, reviewed, agentLogin, isTeamMember);
  let status = proposal.status;
  const move = async (event: LifecycleEvent, data: Record<string, unknown>) =>
    (status = (await transitionProposal(tx, { proposalId: proposal.id, event, actor, data })).to);
  if (decision.blockedBy.length > 0 && canHappen(status, 'request_changes')) {
    if (status === 'approved') await cancelQueuedPromotions(tx, proposal.id);
    await move('request_changes', { by: decision.blockedBy });
  } else if (canHappen(status, 'void_approval') && !decision.satisfied) {
    // A dismissal took an approval away before the promotion ran.
    await cancelQueuedPromotions(tx, proposal.id);
    await move('void_approval', { approved_by: decision.approvedBy });
  } else if (canHappen(status, 'approve') && decision.satisfied) {
    await move('approve', { approved_by: decision.approvedBy, commit: proposal.pinnedSha });
    await queuePromotion(tx, proposal);
  }
  return { status, decision };
}

/** Local reviews of the revision under review, as recorded. */
async function storedReviews(tx: DbOrTx, proposal: ApprovalSubject): Promise<ReviewInput[]> {
  const rows = await tx
    .select()
    .from(reviews)
    .where(and(eq(reviews.proposalId, proposal.id), eq(reviews.revision, proposal.currentRevision)));
  return rows.map((r) => ({
    reviewer: r.reviewer,
    state: r.state,
    commitSha: r.commitSha,
    permission: r.permission as Permission,
    submittedAt: r.createdAt,
  }));
}

/** The policy's rule for a risk class; none for `forbidden`, which can never be approved. */
function ruleFor(policy: ApprovalPolicy, riskClass: string): ApprovalRule | undefined {
  return riskClass === 'forbidden' ? undefined : policy[riskClass as keyof ApprovalPolicy];
}

async function decide(
  policy: ApprovalPolicy,
  proposal: ApprovalSubject,
  reviewed: ReviewInput[],
  agentLogin: string | undefined,
  isTeamMember?: TeamCheck,
): Promise<ApprovalDecision> {
  const rule = ruleFor(policy, proposal.riskClass ?? 'high');
  return evaluateApproval(reviewed, {
    pinnedSha: proposal.pinnedSha ?? '',
    author: proposal.agentName,
    agentLogin,
    // A forbidden proposal can never collect enough approvals.
    required: rule?.approvals ?? Number.POSITIVE_INFINITY,
    allowedReviewers:
      rule?.reviewers &&
      (await allowedLogins(
        rule.reviewers,
        reviewed.map((r) => r.reviewer),
        isTeamMember,
      )),
  });
}

/** The policy's reviewers as logins: listed logins, plus the reviewers who belong to a listed team. */
async function allowedLogins(
  reviewers: readonly string[],
  reviewed: readonly string[],
  isTeamMember: TeamCheck | undefined,
): Promise<string[]> {
  const logins = reviewers.filter((r) => !r.includes('/'));
  const teams = reviewers.filter((r) => r.includes('/'));
  if (!isTeamMember || teams.length === 0) return logins;
  const members: string[] = [];
  for (const login of new Set(reviewed)) {
    for (const team of teams) {
      if (await isTeamMember(team, login)) {
        members.push(login);
        break;
      }
    }
  }
  return [...logins, ...members];
}

/** What deciding approvals needs to know of a proposal: the revision under review, its risk, the pinned head, its author. */
interface ApprovalSubject {
  id: string;
  currentRevision: number;
  riskClass: string | null;
  pinnedSha: string | null;
  agentName: string;
}

interface LockedProposal extends ApprovalSubject {
  status: Status;
}

async function lockProposal(tx: Tx, id: string): Promise<LockedProposal> {
  // Locked alone: drizzle qualifies the table in FOR UPDATE OF, which Postgres rejects on a join.
  const [row] = await tx
    .select({
      id: proposals.id,
      agentId: proposals.agentId,
      status: proposals.status,
      currentRevision: proposals.currentRevision,
      riskClass: proposals.riskClass,
      pinnedSha: proposals.pinnedSha,
    })
    .from(proposals)
    .where(eq(proposals.id, id))
    .for('update');
  if (!row) throw new AppError('not_found', `no proposal with id ${id}`);
  const [agent] = await tx.select({ name: agents.name }).from(agents).where(eq(agents.id, row.agentId));
  return { ...row, agentName: agent?.name ?? '' };
}

async function queuePromotion(tx: Tx, proposal: LockedProposal): Promise<void> {
  const [revision] = await tx
    .select({ sha256: proposalRevisions.sha256 })
    .from(proposalRevisions)
    .where(and(eq(proposalRevisions.proposalId, proposal.id), eq(proposalRevisions.number, proposal.currentRevision)));
  if (!revision) throw new Error(`proposal ${proposal.id} has no revision ${proposal.currentRevision}`);
  await tx
    .insert(promotions)
    .values({ proposalId: proposal.id, revision: proposal.currentRevision, sha256: revision.sha256, status: 'queued' });
  // Delivered on commit: whoever approved (CLI, API, webhook), a listening worker starts the promotion at once.
  await notifyJobs(tx);
}

/** Where a proposal stands against the approval policy, for people deciding on it. */
export interface ApprovalState {
  /** Approvals the risk class needs; null when it can never be approved (forbidden, or not classified). */
  required: number | null;
  /** When the policy names reviewers, only they count. */
  reviewers: string[] | null;
  approvedBy: string[];
  changesRequestedBy: string[];
  ignored: Array<{ reviewer: string; reason: string }>;
  satisfied: boolean;
  /** What stands between the proposal and an approval, in words; empty when nothing does. */
  blocking: string[];
}

/**
 * Reads the recorded reviews of the revision under review of a proposal
 * already read, and decides them as the next review would. Team members
 * named by a GitHub team are known only when a review is settled, so they
 * show here as ignored.
 *
 * @example
 * const proposal = await getProposal(db, id);
 * const state = await readApprovalState(db, config.policy.approvals, proposal, config.github?.agentLogin);
 */
export async function readApprovalState(
  db: DbOrTx,
  policy: ApprovalPolicy,
  read: Proposal,
  agentLogin?: string,
): Promise<ApprovalState> {
  const proposal: ApprovalSubject = {
    id: read.id,
    currentRevision: read.revision.number,
    riskClass: read.riskClass,
    pinnedSha: read.review?.pinnedSha ?? null,
    agentName: read.agent.name,
  };
  const decision = await decide(policy, proposal, await storedReviews(db, proposal), agentLogin);
  const rule = proposal.riskClass ? ruleFor(policy, proposal.riskClass) : undefined;
  // Unclassified counts as high when deciding; shown, it is simply not known yet.
  const required = proposal.riskClass && Number.isFinite(decision.required) ? decision.required : null;
  const blocking: string[] = [];
  if (proposal.riskClass === 'forbidden')
    blocking.push('forbidden: a guardrail finding means it can never be approved; the agent must revise it');
  else if (!proposal.riskClass) blocking.push('not classified yet: the preview has not finished');
  if (!proposal.pinnedSha) blocking.push('not under review yet');
  for (const reviewer of decision.blockedBy) blocking.push(`changes requested by ${reviewer}`);
  if (required !== null && decision.approvedBy.length < required) {
    const missing = required - decision.approvedBy.length;
    blocking.push(
      `${missing} more approval${missing === 1 ? '' : 's'} needed${rule?.reviewers ? ` from ${rule.reviewers.join(', ')}` : ''}`,
    );
  }
  return {
    required,
    reviewers: rule?.reviewers ?? null,
    approvedBy: decision.approvedBy,
    changesRequestedBy: decision.blockedBy,
    ignored: decision.ignored,
    satisfied: decision.satisfied,
    blocking: decision.satisfied ? [] : blocking,
  };
}
