import type { GithubRepo } from './github-client.ts';
import { isGithubAnswer } from './github-request-error.ts';

/**
 * Requests reviews and returns who GitHub refused. GitHub rejects the whole
 * request with 422 when one reviewer is the pull request's author or not a
 * collaborator, so on 422 each reviewer is asked for on its own.
 *
 * @example
 *   const skipped = await requestReviewers(target, 7, ['alice', 'schemagate-bot'], ['dba']);
 *   // => ['schemagate-bot'] when the bot opened the pull request
 */
export async function requestReviewers(
  target: GithubRepo,
  pullNumber: number,
  reviewers: string[],
  teamReviewers: string[],
): Promise<string[]> {
  if (reviewers.length === 0 && teamReviewers.length === 0) return [];
  const ask = (users: string[], teams: string[]) =>
    target.client.rest.pulls.requestReviewers({
      owner: target.owner,
      repo: target.repo,
      pull_number: pullNumber,
      reviewers: users,
      team_reviewers: teams,
    });
  try {
    await ask(reviewers, teamReviewers);
    return [];
  } catch (error) {
    if (!isGithubAnswer(error, 422)) throw error;
  }
  const skipped: string[] = [];
  const one = async (name: string, users: string[], teams: string[]) => {
    try {
      await ask(users, teams);
    } catch (error) {
      if (!isGithubAnswer(error, 422)) throw error;
      skipped.push(name);
    }
  };
  for (const login of reviewers) await one(login, [login], []);
  for (const slug of teamReviewers) await one(`team:${slug}`, [], [slug]);
  return skipped;
}
