import type { Config } from '../config.ts';
import { createGithubClient } from './github/github-client.ts';
import { createGithubReviewProvider, type GithubReviewProvider } from './github/github-review-provider.ts';

/**
 * The GitHub review provider for the configured repository, or undefined
 * when review is local.
 *
 * @example
 * const github = githubProvider(config);
 */
export function githubProvider(
  config: Config,
  log: (message: string) => void = () => {},
): GithubReviewProvider | undefined {
  const github = config.github;
  if (config.review.provider !== 'github' || !github) return undefined;
  const client = createGithubClient({
    ...(github.apiUrl ? { baseUrl: github.apiUrl } : {}),
    auth: github.auth,
    warn: log,
  });
  return createGithubReviewProvider(client, { owner: github.owner, repo: github.repo });
}

/** Check runs need a GitHub App; a token can only set commit statuses. */
export const statusMode = (config: Config): 'status' | 'check' =>
  config.github?.auth.kind === 'app' ? 'check' : 'status';
