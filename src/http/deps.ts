import type { Config } from '../config.ts';
import type { Db } from '../database/connection.ts';

/** What request handlers need from the outside world; tests pass their own. */
export interface HttpDeps {
  db: Db;
  config: Config;
  now: () => Date;
  log: (message: string, error?: unknown) => void;
  /** Wakes a preview worker after work was queued; `origin` is the request's origin. */
  kickPreviews?: (origin: string) => void;
}
