import { AppError } from '../../errors.ts';
import { writeFile } from './file-contents.ts';
import type { GithubRepo } from './github-client.ts';
import { isGithubAnswer } from './github-request-error.ts';
import { requestReviewers } from './request-reviewers.ts';

export interface OpenReviewInput {
  baseBranch: string;
  proposalId: string;
  /** e.g. netlify/database/migrations/20261124103000_add_notes.sql, chosen by the caller. */
  migrationPath: string;
  sql: string;
  title: string;
  /** The markdown review report. */
  body: string;
  labels?: string[];
  reviewers?: string[];
  teamReviewers?: string[];
}

export interface OpenReviewResult {
  pullNumber: number;
  url: string;
  headSha: string;
  branch: string;
  /** False when an earlier, interrupted run had already opened it. */
  created: boolean;
  /** Reviewers GitHub refused (for instance the pull request's author). */
  skippedReviewers: string[];
}

const PROPOSAL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The branch a proposal's migration lives on. */
export function reviewBranch(proposalId: string): string {
  if (!PROPOSAL_ID.test(proposalId) || proposalId.includes('..') || proposalId.endsWith('.lock')) {
    throw new AppError(
      'validation_failed',
      `Proposal id ${JSON.stringify(proposalId)} cannot name a git branch: use letters, digits, ".", "_" and "-".`,
    );
  }
  return `schemagate/${proposalId}`;
}

/** Creates `branch` at the head of `baseBranch`, or keeps it when it exists. */
async function ensureBranch(target: GithubRepo, branch: string, baseBranch: string): Promise<void> {
  const { owner, repo, client } = target;
  const base = await client.rest.git.getRef({ owner, repo, ref: `heads/${baseBranch}` });
  try {
    await client.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: base.data.object.sha });
  } catch (error) {
    // A re-run after a crash finds the branch it made last time.
    if (!isGithubAnswer(error, 422, /Reference already exists/i)) throw error;
  }
}

interface OpenPull {
  number: number;
  html_url: string;
  title: string;
  body: string | null;
}

/**
 * The open pull request whose head is `branch`, if any.
 *
 * @example
 *   const pull = await findOpenPull(target, 'schemagate/p_123', 'main'); // { number, html_url, ... } | undefined
 */
async function findOpenPull(target: GithubRepo, branch: string, baseBranch: string): Promise<OpenPull | undefined> {
  const { data } = await target.client.rest.pulls.list({
    owner: target.owner,
    repo: target.repo,
    head: `${target.owner}:${branch}`,
    base: baseBranch,
    state: 'open',
    per_page: 1,
  });
  return data[0];
}

/**
 * Puts a proposal up for review: branch `schemagate/<proposal-id>` from the
 * base branch head, the migration file committed on it, a pull request with
 * the report, labels and reviewers. Every step tolerates having been done
 * already, so re-running after a crash opens no second branch or PR.
 *
 * @example
 *   const review = await openReview(target, {
 *     baseBranch: 'main', proposalId: 'p_123', sql: 'create table notes (id int);\n',
 *     migrationPath: 'netlify/database/migrations/20261124103000_add_notes.sql',
 *     title: 'Add notes table', body: report, labels: ['schemagate'], reviewers: ['alice'],
 *   });
 *   // => { pullNumber: 7, url, headSha, branch: 'schemagate/p_123', created: true, skippedReviewers: [] }
 */
export async function openReview(target: GithubRepo, input: OpenReviewInput): Promise<OpenReviewResult> {
  const { owner, repo, client } = target;
  const branch = reviewBranch(input.proposalId);
  await ensureBranch(target, branch, input.baseBranch);
  const file = await writeFile(target, {
    branch,
    path: input.migrationPath,
    content: input.sql,
    message: `schemagate: ${input.title}\n\nProposal ${input.proposalId}`,
  });
  let pull: OpenPull | undefined = await findOpenPull(target, branch, input.baseBranch);
  let created = false;
  if (!pull) {
    try {
      const { data } = await client.rest.pulls.create({
        owner,
        repo,
        head: branch,
        base: input.baseBranch,
        title: input.title,
        body: input.body,
      });
      pull = data;
      created = true;
    } catch (error) {
      // Another run opened it between our look-up and create.
      if (!isGithubAnswer(error, 422, /already exists/i)) throw error;
      pull = await findOpenPull(target, branch, input.baseBranch);
      if (!pull) throw error;
    }
  }
  if (!created && (pull.body !== input.body || pull.title !== input.title)) {
    await client.rest.pulls.update({ owner, repo, pull_number: pull.number, title: input.title, body: input.body });
  }
  if (input.labels && input.labels.length > 0) {
    await client.rest.issues.addLabels({ owner, repo, issue_number: pull.number, labels: input.labels });
  }
  const skippedReviewers = await requestReviewers(
    target,
    pull.number,
    input.reviewers ?? [],
    input.teamReviewers ?? [],
  );
  return { pullNumber: pull.number, url: pull.html_url, headSha: file.commitSha, branch, created, skippedReviewers };
}
