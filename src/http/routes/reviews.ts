import { AppError } from '../../errors.ts';
import { reviewLocally } from '../../review/local-review.ts';
import { authenticate } from '../auth.ts';
import type { HttpDeps } from '../deps.ts';
import { presentDecision } from '../presenters.ts';
import { parseInput, readJson } from '../request.ts';
import { json } from '../respond.ts';
import { reviewBody } from '../schemas.ts';
import { idOf } from './ids.ts';

export const verdicts = {
  approve: 'APPROVED',
  request_changes: 'CHANGES_REQUESTED',
  reject: 'REJECTED',
  comment: 'COMMENTED',
} as const;

/** A local review with a reviewer token: it approves what schemagate pinned, nothing else. */
export async function createReviewRoute(
  request: Request,
  deps: HttpDeps,
  params: Record<string, string>,
): Promise<Response> {
  const reviewer = await authenticate(request, deps, 'review');
  const id = idOf(params);
  const body = parseInput(reviewBody, await readJson(request, 64 * 1024));
  if (deps.config.review.provider !== 'local') {
    throw new AppError('illegal_transition', 'this schemagate reviews in GitHub; approve the pull request there');
  }
  const outcome = await deps.db.transaction((tx) =>
    reviewLocally(tx, deps.config.policy.approvals, {
      proposalId: id,
      reviewer: reviewer.name,
      state: verdicts[body.state],
      comment: body.comment,
      sha256: body.sha256,
    }),
  );
  if (outcome.status === 'approved') deps.kickJobs?.(new URL(request.url).origin);
  return json(201, { status: outcome.status, approval: presentDecision(outcome.decision) });
}
