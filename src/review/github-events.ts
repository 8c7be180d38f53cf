import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditEvents, proposalRevisions, proposals } from '../../db/schema.ts';
import type { Db } from '../database/connection.ts';
import { terminalStatuses, type Status } from '../domain/lifecycle.ts';
import type { Permission } from '../domain/approval.ts';
import { reviseFromReview } from '../proposals/proposals.ts';
import { transitionProposal } from '../proposals/transition.ts';
import type { GithubReviewProvider } from './github/github-review-provider.ts';
import { cancelQueuedPromotions, reevaluate, submitReview, type ApprovalPolicy } from './reviews.ts';

const user = z.object({ login: z.string() });
const repository = z.object({ full_name: z.string() });
const pullRequest = z.object({ number: z.int(), head: z.object({ sha: z.string() }), merged: z.boolean().nullish() });

const reviewEvent = z.object({
  action: z.enum(['submitted', 'dismissed', 'edited']),
  review: z.object({ id: z.int(), state: z.string(), commit_id: z.string().nullable(), user: user.nullable(), body: z.string().nullish() }),
  pull_request: pullRequest,
  repository,
});
const pullRequestEvent = z.object({ action: z.string(), pull_request: pullRequest, repository, sender: user });

export interface GithubEventDeps {
  db: Db;
  github: GithubReviewProvider;
  policy: ApprovalPolicy;
  agentLogin: string | undefined;
}

export type EventOutcome = { handled: boolean; detail: string };

/**
 * Applies one GitHub webhook event to the proposal whose pull request it is
 * about: reviews are recorded with the reviewer's permission and settle the
 * approval; a push by anyone else voids approvals (and a changed migration
 * file becomes a revision); a pull request closed unmerged rejects it.
 *
 * @example
 * await handleGithubEvent(deps, 'pull_request_review', payload);
 */
export async function handleGithubEvent(deps: GithubEventDeps, event: string, payload: unknown): Promise<EventOutcome> {
  if (event === 'pull_request_review') return onReview(deps, reviewEvent.parse(payload));
  if (event === 'pull_request') return onPullRequest(deps, pullRequestEvent.parse(payload));
  return { handled: false, detail: `${event} events are not used` };
}

async function proposalFor(deps: GithubEventDeps, repo: string, pullNumber: number) {
  if (repo.toLowerCase() !== `${deps.github.owner}/${deps.github.repo}`.toLowerCase()) return undefined;
  const [row] = await deps.db
    .select({ id: proposals.id, status: proposals.status, pinnedSha: proposals.pinnedSha, migrationPath: proposals.migrationPath, revision: proposals.currentRevision })
    .from(proposals)
    .where(eq(proposals.pullNumber, pullNumber));
  return row ? { ...row, status: row.status as Status } : undefined;
}

async function onReview(deps: GithubEventDeps, payload: z.infer<typeof reviewEvent>): Promise<EventOutcome> {
  const proposal = await proposalFor(deps, payload.repository.full_name, payload.pull_request.number);
  if (!proposal) return { handled: false, detail: 'not a schemagate pull request' };
  const login = payload.review.user?.login;
  if (!login || payload.action === 'edited') return { handled: false, detail: 'nothing to record' };
  const permission = (await deps.github.getPermission(login)).permission as Permission;
  const state = payload.action === 'dismissed' ? 'DISMISSED' : (payload.review.state.toUpperCase() as 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED');
  // A dismissal is recorded as the reviewer's latest review, which withdraws their verdict.
  const outcome = await submitReview(deps.db, deps.policy, {
    proposalId: proposal.id,
    reviewer: login,
    state,
    commitSha: payload.review.commit_id,
    permission,
    source: 'github',
    body: payload.review.body ?? undefined,
    agentLogin: deps.agentLogin,
    isTeamMember: deps.github.isTeamMember,
  });
  return { handled: true, detail: `review by ${login} (${permission}): proposal is ${outcome.status}` };
}

async function onPullRequest(deps: GithubEventDeps, payload: z.infer<typeof pullRequestEvent>): Promise<EventOutcome> {
  const proposal = await proposalFor(deps, payload.repository.full_name, payload.pull_request.number);
  if (!proposal) return { handled: false, detail: 'not a schemagate pull request' };
  const actor = `github:${payload.sender.login}`;
  if (payload.action === 'synchronize') return onPush(deps, proposal, payload.pull_request.head.sha, actor);
  if (payload.action === 'closed' && !payload.pull_request.merged && !terminalStatuses.includes(proposal.status) && proposal.status !== 'promoting') {
    await deps.db.transaction(async (tx) => {
      await cancelQueuedPromotions(tx, proposal.id);
      await transitionProposal(tx, { proposalId: proposal.id, event: 'reject', actor, data: { reason: 'pull request closed' } });
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
async function onPush(deps: GithubEventDeps, proposal: NonNullable<Awaited<ReturnType<typeof proposalFor>>>, head: string, actor: string): Promise<EventOutcome> {
  if (head === proposal.pinnedSha) return { handled: false, detail: 'schemagate\'s own commit' };
  const file = proposal.migrationPath ? await deps.github.getFileAtCommit(proposal.migrationPath, head) : undefined;
  const [current] = await deps.db
    .select({ sql: proposalRevisions.sql })
    .from(proposalRevisions)
    .where(and(eq(proposalRevisions.proposalId, proposal.id), eq(proposalRevisions.number, proposal.revision)));
  const content = file?.content.toString('utf8');
  if (content !== undefined && content !== current?.sql && !terminalStatuses.includes(proposal.status) && proposal.status !== 'promoting') {
    await deps.db.transaction((tx) => cancelQueuedPromotions(tx, proposal.id));
    const revision = await reviseFromReview(deps.db, proposal.id, { sql: content }, actor);
    return { handled: true, detail: `migration file changed at ${head.slice(0, 7)}: revision ${revision} queued for preview` };
  }
  await deps.db.transaction(async (tx) => {
    await tx.update(proposals).set({ pinnedSha: head, updatedAt: sql`now()` }).where(eq(proposals.id, proposal.id));
    await tx.insert(auditEvents).values({ proposalId: proposal.id, type: 'review.head_moved', actor, data: { from: proposal.pinnedSha, to: head } });
  });
  const outcome = await reevaluate(deps.db, deps.policy, proposal.id, actor, deps.agentLogin, deps.github.isTeamMember);
  return { handled: true, detail: `new head ${head.slice(0, 7)} pinned; earlier approvals void; proposal is ${outcome.status}` };
}
