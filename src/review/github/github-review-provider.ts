import { setStatus, type SetStatusInput, type SetStatusResult } from './commit-status.ts';
import { getFileAtCommit, type RepoFile } from './file-contents.ts';
import type { GithubClient, GithubRepo } from './github-client.ts';
import { listMigrationPrefixes } from './migration-files.ts';
import { openReview, type OpenReviewInput, type OpenReviewResult } from './open-review.ts';
import { getPermission, isTeamMember, type ReviewerPermission } from './permissions.ts';
import {
  comment,
  getPullRequest,
  listPullFiles,
  listReviews,
  merge,
  updateComment,
  type MergeResult,
  type PullFile,
  type PullRequestInfo,
  type ReviewInfo,
} from './pull-requests.ts';
import { updateReview, type UpdateReviewInput, type UpdateReviewResult } from './update-review.ts';

/** schemagate's review operations on one GitHub repository. No database access: the caller persists results. */
export interface GithubReviewProvider {
  readonly owner: string;
  readonly repo: string;
  openReview(input: OpenReviewInput): Promise<OpenReviewResult>;
  updateReview(input: UpdateReviewInput): Promise<UpdateReviewResult>;
  setStatus(input: SetStatusInput): Promise<SetStatusResult>;
  listReviews(pullNumber: number): Promise<ReviewInfo[]>;
  getPermission(login: string): Promise<ReviewerPermission>;
  isTeamMember(team: string, login: string): Promise<boolean>;
  getPullRequest(pullNumber: number): Promise<PullRequestInfo>;
  getFileAtCommit(path: string, sha: string): Promise<RepoFile | undefined>;
  listPullFiles(pullNumber: number): Promise<PullFile[]>;
  listMigrationPrefixes(ref: string): Promise<Set<string>>;
  comment(pullNumber: number, body: string): Promise<{ id: number; url: string }>;
  updateComment(commentId: number, body: string): Promise<void>;
  merge(pullNumber: number, options: { method: 'merge' | 'squash' | 'rebase'; sha: string }): Promise<MergeResult>;
}

/**
 * Binds the GitHub review operations to a client and a repository.
 *
 * @example
 *   const client = createGithubClient({ auth: { kind: 'token', token } });
 *   const github = createGithubReviewProvider(client, { owner: 'acme', repo: 'shop' });
 *   const { pullNumber, headSha } = await github.openReview({ baseBranch: 'main', proposalId, migrationPath, sql, title, body });
 */
export function createGithubReviewProvider(
  client: GithubClient,
  repository: { owner: string; repo: string },
): GithubReviewProvider {
  const target: GithubRepo = { client, owner: repository.owner, repo: repository.repo };
  return {
    owner: target.owner,
    repo: target.repo,
    openReview: (input) => openReview(target, input),
    updateReview: (input) => updateReview(target, input),
    setStatus: (input) => setStatus(target, input),
    listReviews: (pullNumber) => listReviews(target, pullNumber),
    getPermission: (login) => getPermission(target, login),
    isTeamMember: (team, login) => isTeamMember(target, team, login),
    getPullRequest: (pullNumber) => getPullRequest(target, pullNumber),
    getFileAtCommit: (path, sha) => getFileAtCommit(target, path, sha),
    listPullFiles: (pullNumber) => listPullFiles(target, pullNumber),
    listMigrationPrefixes: (ref) => listMigrationPrefixes(target, ref),
    comment: (pullNumber, body) => comment(target, pullNumber, body),
    updateComment: (commentId, body) => updateComment(target, commentId, body),
    merge: (pullNumber, options) => merge(target, pullNumber, options),
  };
}
