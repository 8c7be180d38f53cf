import { eq } from 'drizzle-orm';
import { proposals } from '../../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { submitReview } from '../../review/reviews.ts';
import { authenticate } from '../auth.ts';
import type { HttpDeps } from '../deps.ts';
import { parseInput, readJson } from '../request.ts';
import { json } from '../respond.ts';
import { reviewBody } from '../schemas.ts';
import { idOf } from './ids.ts';

const reviewable = ['awaiting_review', 'changes_requested'];

const states = { approve: 'APPROVED', request_changes: 'CHANGES_REQUESTED', reject: 'REJECTED', comment: 'COMMENTED' } as const;

/** A local review with a reviewer token: it approves what schemagate pinned, nothing else. */
export async function createReviewRoute(request: Request, deps: HttpDeps, params: Record<string, string>): Promise<Response> {
  const reviewer = await authenticate(request, deps, 'review');
  const id = idOf(params);
  const body = parseInput(reviewBody, await readJson(request, 64 * 1024));
  if (deps.config.review.provider !== 'local') {
    throw new AppError('illegal_transition', 'this schemagate reviews in GitHub; approve the pull request there');
  }
  const [proposal] = await deps.db.select({ pinnedSha: proposals.pinnedSha, status: proposals.status }).from(proposals).where(eq(proposals.id, id));
  if (!proposal) throw new AppError('not_found', `no proposal with id ${id}`);
  if (!reviewable.includes(proposal.status)) {
    throw new AppError('illegal_transition', `proposal ${id} is ${proposal.status}; reviews are taken while it is awaiting_review or changes_requested`);
  }
  if (!proposal.pinnedSha) throw new AppError('illegal_transition', `proposal ${id} is not under review yet; wait until it is awaiting_review`);
  if (body.sha256 !== undefined && body.sha256 !== proposal.pinnedSha) {
    throw new AppError('conflict', `the proposal changed since you read it: it now pins ${proposal.pinnedSha}, not ${body.sha256}; review the new revision`, {
      pinned_sha256: proposal.pinnedSha,
    });
  }
  const outcome = await submitReview(deps.db, deps.config.policy.approvals, {
    proposalId: id,
    reviewer: reviewer.name,
    state: states[body.state],
    commitSha: proposal.pinnedSha,
    permission: 'write',
    source: 'local',
    body: body.comment,
  });
  return json(201, {
    status: outcome.status,
    approval: {
      satisfied: outcome.decision.satisfied,
      required: Number.isFinite(outcome.decision.required) ? outcome.decision.required : null,
      approved_by: outcome.decision.approvedBy,
      changes_requested_by: outcome.decision.blockedBy,
      ignored: outcome.decision.ignored,
    },
  });
}
