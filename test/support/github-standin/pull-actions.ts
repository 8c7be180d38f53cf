import { GithubApiError, unprocessable } from './handler-types.ts';
import { now, type PullRecord, type StandinState } from './standin-state.ts';

export interface MergeOptions {
  login: string;
  method?: 'merge' | 'squash' | 'rebase';
  sha?: string;
  title?: string;
}

/**
 * Merges a pull request as GitHub does: 405 when it cannot be merged, 409
 * when `sha` no longer names the head. Used by pulls/merge and by tests.
 */
export async function mergePull(state: StandinState, pull: PullRecord, options: MergeOptions): Promise<string> {
  const { git } = state;
  return git.exclusive(async () => {
    if (pull.state !== 'open') throw new GithubApiError(405, 'Pull Request is not mergeable');
    if (options.sha !== undefined && options.sha !== pull.headSha) {
      throw new GithubApiError(409, 'Head branch was modified. Review and try the merge again.');
    }
    const baseRef = `refs/heads/${pull.baseRef}`;
    const base = await git.resolve(baseRef);
    if (!base) throw new GithubApiError(405, 'Base branch was deleted');
    const tree = await git.mergeTree(base, pull.headSha);
    if (!tree) throw new GithubApiError(405, 'Pull Request is not mergeable');
    const method = options.method ?? 'merge';
    const title =
      options.title ??
      (method === 'merge'
        ? `Merge pull request #${pull.number} from ${state.owner}/${pull.headRef}`
        : `${pull.title} (#${pull.number})`);
    const parents = method === 'merge' ? [base, pull.headSha] : [base];
    const merged = await git.commitTree(tree, parents, `${title}\n`, state.identity(options.login));
    await git.setRef(baseRef, merged, base);
    const at = now();
    Object.assign(pull, {
      state: 'closed',
      mergedAt: at,
      closedAt: at,
      updatedAt: at,
      mergedBy: options.login,
      mergeCommitSha: merged,
    });
    return merged;
  });
}

export function closePull(pull: PullRecord): void {
  if (pull.state === 'closed') return;
  const at = now();
  Object.assign(pull, { state: 'closed', closedAt: at, updatedAt: at });
}

/** The checks GitHub makes before it records requested reviewers. */
export function requestReviewers(state: StandinState, pull: PullRecord, reviewers: string[], teams: string[]): void {
  if (reviewers.includes(pull.author)) throw unprocessable('Review cannot be requested from pull request author.');
  const outsiders = reviewers.filter((login) => {
    const role = state.users.get(login)?.role ?? 'none';
    return role === 'none';
  });
  const unknownTeams = teams.filter((slug) => !state.teams.has(slug));
  if (outsiders.length > 0 || unknownTeams.length > 0) {
    throw unprocessable(
      `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${state.fullName} repository.`,
    );
  }
  for (const login of reviewers) if (!pull.requestedReviewers.includes(login)) pull.requestedReviewers.push(login);
  for (const slug of teams) if (!pull.requestedTeams.includes(slug)) pull.requestedTeams.push(slug);
  pull.updatedAt = now();
}
