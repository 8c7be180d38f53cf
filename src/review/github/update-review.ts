import { AppError } from '../../errors.ts';
import { writeFile } from './file-contents.ts';
import type { GithubRepo } from './github-client.ts';

export interface UpdateReviewInput {
  pullNumber: number;
  migrationPath: string;
  sql: string;
  /** The new markdown report; replaces the pull request body. */
  body: string;
  title?: string;
  /** First line of the revision commit. */
  message?: string;
}

export interface UpdateReviewResult {
  headSha: string;
  /** False when the branch already held exactly this SQL (a re-run). */
  committed: boolean;
}

/**
 * Records a revision: the new SQL as a commit on the pull request's branch
 * and the report edited in place. The new head voids approvals given on
 * earlier commits.
 *
 * @example
 *   const { headSha } = await updateReview(target, { pullNumber: 7, migrationPath, sql: revisedSql, body: report });
 */
export async function updateReview(target: GithubRepo, input: UpdateReviewInput): Promise<UpdateReviewResult> {
  const { owner, repo, client } = target;
  const { data: pull } = await client.rest.pulls.get({ owner, repo, pull_number: input.pullNumber });
  if (pull.state !== 'open') {
    throw new AppError(
      'conflict',
      `Pull request #${input.pullNumber} in ${owner}/${repo} is ${pull.merged ? 'merged' : 'closed'}; a revision needs an open one.`,
    );
  }
  if (pull.head.repo?.full_name !== undefined && pull.head.repo.full_name !== `${owner}/${repo}`) {
    throw new AppError(
      'conflict',
      `Pull request #${input.pullNumber} comes from ${pull.head.repo.full_name}; schemagate only revises its own branches.`,
    );
  }
  const file = await writeFile(target, {
    branch: pull.head.ref,
    path: input.migrationPath,
    content: input.sql,
    message: input.message ?? `schemagate: revise ${input.migrationPath.split('/').pop()}`,
  });
  await client.rest.pulls.update({
    owner,
    repo,
    pull_number: input.pullNumber,
    body: input.body,
    ...(input.title ? { title: input.title } : {}),
  });
  return { headSha: file.commitSha, committed: file.changed };
}
