import { createGithubClient, type GithubClientConfig } from '../../../src/review/github/github-client.ts';
import {
  createGithubReviewProvider,
  type GithubReviewProvider,
} from '../../../src/review/github/github-review-provider.ts';
import type { GithubStandin } from '../../support/github-standin/github-standin.ts';

/** Client settings for the stand-in: its URL and token, waits shrunk to milliseconds. */
export function standinClientConfig(
  github: GithubStandin,
  overrides: Partial<GithubClientConfig> = {},
): GithubClientConfig {
  return {
    baseUrl: github.url,
    auth: { kind: 'token', token: github.token },
    millisecondsPerSecond: 2,
    pacedWrites: false,
    ...overrides,
  };
}

export function standinProvider(
  github: GithubStandin,
  overrides: Partial<GithubClientConfig> = {},
): GithubReviewProvider {
  return createGithubReviewProvider(createGithubClient(standinClientConfig(github, overrides)), {
    owner: github.owner,
    repo: github.repo,
  });
}
