import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { proposalRevisions, proposals } from '../../db/schema.ts';
import { recordEvent } from '../database/audit-events.ts';
import type { Tx } from '../database/connection.ts';
import { canHappen, terminalStatuses } from '../domain/lifecycle.ts';
import { reviseFromReview } from '../proposals/proposals.ts';
import { transitionProposal } from '../proposals/transition.ts';
import type { GithubReviewProvider } from './github/github-review-provider.ts';
import { readGithubReviews } from './github-reviews.ts';
import { cancelQueuedPromotions } from '../queue/promotion-queue.ts';
import { settleGithubReviews, type ApprovalPolicy } from './reviews.ts';

const user = z.object({ login: z.string() });
const repository = z.object({ full_name: z.string() });
const pullRequest = z.object({ number: z.int(), head: z.object({ sha: z.string() }), merged: z.boolean().nullish() });

// Only what says which pull request to re-read: the review itself is read from GitHub.
const reviewEvent = z.object({
  action: z.string(),
  review: z.object({ id: z.int(), user: user.nullable() }),
  pull_request: pullRequest,
  repository,
});
const pullRequestEvent = z.object({ action: z.string(), pull_request: pullRequest, repository, sender: user });

type ReviewEvent = z.infer<typeof reviewEvent>;
type PullRequestEvent = z.infer<typeof pullRequestEvent>;

/** A webhook delivery as schemagate uses it, validated: the events it acts on, and the rest by name. */
export type GithubEvent =
  | { name: 'pull_request_review'; payload: ReviewEvent }
  | { name: 'pull_request'; payload: PullRequestEvent }
  | { name: 'unused'; event: string };

/**
 * Validates a webhook payload once, at the boundary, before anything is
 * written: undefined when an event schemagate acts on lacks fields it needs.
 * Events it does not use pass as `unused`, whatever their payload.
 *
 * @example
 * const parsed = parseGithubEvent(request.headers.get('x-github-event')!, JSON.parse(body));
 * if (!parsed) // answer 400 validation_failed
 */
export function parseGithubEvent(event: string, payload: unknown): GithubEvent | undefined {
  if (event === 'pull_request_review') {
    const parsed = reviewEvent.safeParse(payload);
    return parsed.success ? { name: event, payload: parsed.data } : undefined;
  }
  if (event === 'pull_request') {
    const parsed = pullRequestEvent.safeParse(payload);
    return parsed.success ? { name: event, payload: parsed.data } : undefined;
  }
  return { name: 'unused', event };
}

export interface GithubEventDeps {
  /** The caller's transaction, the one that records the delivery: an event is applied whole or not at all. */
  tx: Tx;
  github: GithubReviewProvider;
  policy: ApprovalPolicy;
  agentLogin: string | undefined;
}

/** `queued`: the event queued a preview or a promotion, which a worker has to be started for. */
export type EventOutcome = { handled: boolean; detail: string; queued?: boolean };

/**
 * Applies one GitHub webhook event to the proposal whose pull request it is
 * about. A review event only prompts schemagate to re-read the pull
 * request's reviews from GitHub and decide from that list, so a delivery
 * that is late, out of order or replayed cannot change the outcome. A push
 * by anyone else voids approvals (and a changed migration file becomes a
 * revision); a pull request closed unmerged rejects it.
 *
 * @example
 * await db.transaction((tx) => handleGithubEvent({ tx, github, policy, agentLogin }, parseGithubEvent(name, payload)!));
 */
export async function handleGithubEvent(deps: GithubEventDeps, event: GithubEvent): Promise<EventOutcome> {
  if (event.name === 'pull_request_review') return onReview(deps, event.payload);
  if (event.name === 'pull_request') return onPullRequest(deps, event.payload);
  return { handled: false, detail: `${event.event} events are not used` };
}

async function proposalFor(deps: GithubEventDeps, repo: string, pullNumber: number) {
  if (repo.toLowerCase() !== `${deps.github.owner}/${deps.github.repo}`.toLowerCase()) return undefined;
  const [row] = await deps.tx
    .select({
      id: proposals.id,
      status: proposals.status,
      pinnedSha: proposals.pinnedSha,
      migrationPath: proposals.migrationPath,
      revision: proposals.currentRevision,
    })
    .from(proposals)
    .where(eq(proposals.pullNumber, pullNumber));
  return row;
}

async function onReview(deps: GithubEventDeps, payload: ReviewEvent): Promise<EventOutcome> {
  const proposal = await proposalFor(deps, payload.repository.full_name, payload.pull_request.number);
  if (!proposal) return { handled: false, detail: 'not a schemagate pull request' };
  if (terminalStatuses.includes(proposal.status))
    return { handled: false, detail: `proposal is ${proposal.status}: reviews no longer change it` };
  const outcome = await settleFromGithub(
    deps,
    proposal.id,
    payload.pull_request.number,
    `github:${payload.review.user?.login ?? 'ghost'}`,
  );
  return {
    handled: true,
    queued: outcome.status === 'approved',
    detail: `review ${payload.review.id} ${payload.action}: ${outcome.reviews} review(s) read from GitHub; proposal is ${outcome.status}`,
  };
}

/** Re-reads the pull request's reviews from GitHub and settles the proposal on them. */
async function settleFromGithub(deps: GithubEventDeps, proposalId: string, pullNumber: number, actor: string) {
  const reviews = await readGithubReviews(deps.github, pullNumber);
  const { status } = await settleGithubReviews(deps.tx, deps.policy, {
    proposalId,
    reviews,
    actor,
    agentLogin: deps.agentLogin,
    isTeamMember: deps.github.isTeamMember,
  });
  return { status, reviews: reviews.length };
}

async function onPullRequest(deps: GithubEventDeps, payload: PullRequestEvent): Promise<EventOutcome> {
  const proposal = await proposalFor(deps, payload.repository.full_name, payload.pull_request.number);
  if (!proposal) return { handled: false, detail: 'not a schemagate pull request' };
  const actor = `github:${payload.sender.login}`;
  if (payload.action === 'synchronize')
    return onPush(deps, proposal, payload.pull_request.number, payload.pull_request.head.sha, actor);
  if (payload.action === 'closed' && !payload.pull_request.merged && canHappen(proposal.status, 'reject')) {
    await cancelQueuedPromotions(deps.tx, proposal.id);
    await transitionProposal(deps.tx, {
      proposalId: proposal.id,
      event: 'reject',
      actor,
      data: { reason: 'pull request closed' },
    });
    return { handled: true, detail: 'pull request closed: proposal rejected' };
  }
  return { handled: false, detail: `pull_request ${payload.action} needs nothing` };
}

/**
 * A push schemagate did not make. Approvals given before it no longer
 * count (they name the old head); if the migration file changed, its new
 * content is previewed as a revision.
 */
async function onPush(
  deps: GithubEventDeps,
  proposal: NonNullable<Awaited<ReturnType<typeof proposalFor>>>,
  pullNumber: number,
  head: string,
  actor: string,
): Promise<EventOutcome> {
  if (head === proposal.pinnedSha) return { handled: false, detail: "schemagate's own commit" };
  const file = proposal.migrationPath ? await deps.github.getFileAtCommit(proposal.migrationPath, head) : undefined;
  const [current] = await deps.tx
    .select({ sql: proposalRevisions.sql })
    .from(proposalRevisions)
    .where(and(eq(proposalRevisions.proposalId, proposal.id), eq(proposalRevisions.number, proposal.revision)));
  const content = file?.content.toString('utf8');
  const open = canHappen(proposal.status, 'revise');
  if (content !== undefined && content !== current?.sql && open) {
    await cancelQueuedPromotions(deps.tx, proposal.id);
    const revision = await reviseFromReview(deps.tx, proposal.id, { sql: content }, actor);
    return {
      handled: true,
      queued: true,
      detail: `migration file changed at ${head.slice(0, 7)}: revision ${revision} queued for preview`,
    };
  }
  await deps.tx
    .update(proposals)
    .set({ pinnedSha: head, updatedAt: sql`now()` })
    .where(eq(proposals.id, proposal.id));
  await recordEvent(deps.tx, {
    proposalId: proposal.id,
    type: 'review.head_moved',
    actor,
    data: { from: proposal.pinnedSha, to: head },
  });
  if (!open) return { handled: true, detail: `new head ${head.slice(0, 7)} pinned; proposal is ${proposal.status}` };
  const outcome = await settleFromGithub(deps, proposal.id, pullNumber, actor);
  return {
    handled: true,
    queued: outcome.status === 'approved',
    detail: `new head ${head.slice(0, 7)} pinned; earlier approvals void; proposal is ${outcome.status}`,
  };
}
