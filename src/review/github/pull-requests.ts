import type { GithubRepo } from './github-client.ts';
import { isGithubAnswer } from './github-request-error.ts';

export interface PullRequestInfo {
  number: number;
  headSha: string;
  headRef: string;
  baseRef: string;
  author: string;
  state: 'open' | 'closed';
  merged: boolean;
  url: string;
}

export interface ReviewInfo {
  id: number;
  login: string;
  /** Upper case, as the REST API gives it: APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING. */
  state: string;
  commitId: string | null;
  /** Null while the review is pending (not submitted). */
  submittedAt: string | null;
  body: string;
}

export interface PullFile {
  filename: string;
  status: string;
  blobSha: string | null;
  additions: number;
  deletions: number;
}

export type MergeResult =
  { merged: true; sha: string } | { merged: false; reason: 'head_moved' | 'not_mergeable'; message: string };

/** The parameters that name a pull request in the REST API. */
const pullRequest = (target: GithubRepo, pullNumber: number) => ({
  owner: target.owner,
  repo: target.repo,
  pull_number: pullNumber,
});

/**
 * @example
 *   const pr = await getPullRequest(target, 7); // { headSha, author, state: 'open', merged: false, ... }
 */
export async function getPullRequest(target: GithubRepo, pullNumber: number): Promise<PullRequestInfo> {
  const { data } = await target.client.rest.pulls.get(pullRequest(target, pullNumber));
  return {
    number: data.number,
    headSha: data.head.sha,
    headRef: data.head.ref,
    baseRef: data.base.ref,
    author: data.user.login,
    state: data.state,
    merged: data.merged,
    url: data.html_url,
  };
}

/**
 * Every review on a pull request, oldest first, all pages.
 *
 * @example
 *   const approvals = (await listReviews(target, 7)).filter((r) => r.state === 'APPROVED' && r.commitId === headSha);
 */
export async function listReviews(target: GithubRepo, pullNumber: number): Promise<ReviewInfo[]> {
  const reviews = await target.client.paginate(target.client.rest.pulls.listReviews, {
    ...pullRequest(target, pullNumber),
    per_page: 100,
  });
  return reviews.map((r) => ({
    id: r.id,
    login: r.user?.login ?? '',
    state: r.state.toUpperCase(),
    commitId: r.commit_id,
    submittedAt: r.submitted_at ?? null,
    body: r.body,
  }));
}

/**
 * @example
 *   const files = await listPullFiles(target, 7); // [{ filename: 'netlify/database/migrations/...sql', status: 'added', ... }]
 */
export async function listPullFiles(target: GithubRepo, pullNumber: number): Promise<PullFile[]> {
  const files = await target.client.paginate(target.client.rest.pulls.listFiles, {
    ...pullRequest(target, pullNumber),
    per_page: 100,
  });
  return files.map((f) => ({
    filename: f.filename,
    status: f.status,
    blobSha: f.sha,
    additions: f.additions,
    deletions: f.deletions,
  }));
}

/**
 * Posts a comment on the pull request's conversation.
 *
 * @example
 *   const { id } = await comment(target, 7, 'Applied to production in 1.2 s.');
 */
export async function comment(
  target: GithubRepo,
  pullNumber: number,
  body: string,
): Promise<{ id: number; url: string }> {
  const { data } = await target.client.rest.issues.createComment({
    owner: target.owner,
    repo: target.repo,
    issue_number: pullNumber,
    body,
  });
  return { id: data.id, url: data.html_url };
}

/**
 * Replaces the text of an earlier comment.
 *
 * @example
 *   await updateComment(target, commentId, 'Preview finished.');
 */
export async function updateComment(target: GithubRepo, commentId: number, body: string): Promise<void> {
  await target.client.rest.issues.updateComment({
    owner: target.owner,
    repo: target.repo,
    comment_id: commentId,
    body,
  });
}

/**
 * Merges only if the head is still `sha`: GitHub answers 409 when the branch
 * moved, so a commit pushed after approval is never merged unseen.
 *
 * @example
 *   const result = await merge(target, 7, { method: 'squash', sha: approvedSha });
 *   if (!result.merged) console.log(result.reason);
 */
export async function merge(
  target: GithubRepo,
  pullNumber: number,
  options: { method: 'merge' | 'squash' | 'rebase'; sha: string },
): Promise<MergeResult> {
  try {
    const { data } = await target.client.rest.pulls.merge({
      ...pullRequest(target, pullNumber),
      merge_method: options.method,
      sha: options.sha,
    });
    return { merged: true, sha: data.sha };
  } catch (error) {
    if (isGithubAnswer(error, 409)) return { merged: false, reason: 'head_moved', message: error.githubMessage };
    if (isGithubAnswer(error, 405)) return { merged: false, reason: 'not_mergeable', message: error.githubMessage };
    throw error;
  }
}
