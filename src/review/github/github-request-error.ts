import { AppError, type ErrorCode } from '../../errors.ts';

/**
 * A GitHub API call that failed after the client's retries. It keeps the
 * HTTP status and GitHub's own message, so callers can tell the answers they
 * expect (422 "Reference already exists", 409 head moved) from real failures.
 */
export class GithubRequestError extends AppError {
  readonly status: number;
  readonly githubMessage: string;
  readonly route: string;

  constructor(code: ErrorCode, status: number, githubMessage: string, route: string, message: string) {
    super(code, message, { status, githubMessage, route });
    this.name = 'GithubRequestError';
    this.status = status;
    this.githubMessage = githubMessage;
    this.route = route;
  }
}

interface OctokitErrorShape {
  status?: unknown;
  message?: unknown;
  request?: { method?: string; url?: string; request?: { retryCount?: number } };
  response?: { data?: unknown; headers?: Record<string, string | undefined> };
}

/**
 * Turns an Octokit RequestError into a GithubRequestError whose message says
 * what failed and what to do; anything else is returned unchanged.
 *
 * @example
 *   octokit.hook.error('request', (error, options) => { throw toGithubRequestError(error, options); });
 */
export function toGithubRequestError(error: unknown, options?: { request?: { retryCount?: number } }): unknown {
  const shape = error as OctokitErrorShape;
  if (typeof shape?.status !== 'number' || !shape.request) return error;
  const status = shape.status;
  const data = shape.response?.data as { message?: string; errors?: Array<{ message?: string }> } | undefined;
  const details = (data?.errors ?? []).map((e) => e.message).filter(Boolean);
  const githubMessage = [data?.message ?? String(shape.message ?? ''), ...details].join('; ');
  const url = new URL(shape.request.url ?? '/', 'https://api.github.com');
  const route = `${shape.request.method ?? 'GET'} ${url.pathname}`;
  const headers = shape.response?.headers ?? {};
  const rateLimited =
    (status === 403 || status === 429) &&
    (/rate limit/i.test(githubMessage) || headers['x-ratelimit-remaining'] === '0');
  // plugin-throttling leaves its count on the live options; plugin-retry on the failed request's copy.
  const retries = (rateLimited ? options?.request?.retryCount : shape.request.request?.retryCount) ?? 0;
  if (rateLimited) {
    const wait = headers['retry-after'] ?? headers['x-ratelimit-reset'];
    return new GithubRequestError(
      'rate_limited',
      status,
      githubMessage,
      route,
      `GitHub rate limit on ${route}: gave up after ${retries} ${retries === 1 ? 'retry' : 'retries'} (GitHub: "${githubMessage}"${wait ? `, retry-after/reset ${wait}` : ''}). Wait and retry, or lower the request rate.`,
    );
  }
  if (status >= 500) {
    return new GithubRequestError(
      'unavailable',
      status,
      githubMessage,
      route,
      `GitHub answered ${status} to ${route} after ${retries} ${retries === 1 ? 'retry' : 'retries'}: ${githubMessage}. GitHub may be degraded; try again later.`,
    );
  }
  const hint =
    status === 401
      ? ' Check the token or the GitHub App credentials.'
      : status === 403 || status === 404
        ? ' Check that the token or App installation can access this repository.'
        : '';
  return new GithubRequestError(
    'remote_error',
    status,
    githubMessage,
    route,
    `GitHub answered ${status} to ${route}: ${githubMessage}.${hint}`,
  );
}

/** Whether `error` is GitHub answering `status` (and, if given, a message matching `pattern`). */
export function isGithubAnswer(error: unknown, status: number, pattern?: RegExp): error is GithubRequestError {
  return (
    error instanceof GithubRequestError && error.status === status && (!pattern || pattern.test(error.githubMessage))
  );
}
