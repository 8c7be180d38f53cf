import type { Config } from '../config.ts';
import type { Db } from '../database/connection.ts';
import type { GithubReviewProvider } from '../review/github/github-review-provider.ts';

/** What request handlers need from the outside world; tests pass their own. */
export interface HttpDeps {
  db: Db;
  config: Config;
  now: () => Date;
  log: (message: string, error?: unknown) => void;
  /**
   * Starts the deployed jobs background function after a preview or a promotion was queued; `origin` is the
   * request's origin. Absent in-process: the transaction that queued the work wakes the listening workers itself.
   */
  kickJobs?: (origin: string) => void;
  /** Set when review happens in GitHub. */
  github?: GithubReviewProvider;
}
