import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { toGithubRequestError } from './github-request-error.ts';

const GithubClientConfigSchema = z.object({
  baseUrl: z.url().default('https://api.github.com'),
  auth: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('token'), token: z.string().min(1) }),
    z.object({
      kind: z.literal('app'),
      appId: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]),
      privateKey: z
        .string()
        .includes('PRIVATE KEY', { message: 'must be a PEM private key (-----BEGIN ... PRIVATE KEY-----)' }),
      installationId: z.number().int().positive(),
    }),
  ]),
  /** Retries of 5xx answers (and network errors). */
  retries: z.number().int().min(0).max(10).default(3),
  /** Retries after a primary or secondary rate limit before giving up. */
  rateLimitRetries: z.number().int().min(0).max(10).default(2),
  /** A wait longer than this is not worth blocking a function for: give up at once. */
  maxRetryAfterSeconds: z.number().positive().default(60),
  /** Milliseconds per second of waiting GitHub asks for; tests shrink it. */
  millisecondsPerSecond: z.number().positive().default(1000),
  /** GitHub asks integrators to leave a second between writes; tests turn it off. */
  pacedWrites: z.boolean().default(true),
  userAgent: z.string().default('schemagate'),
  /** Where retry and rate-limit warnings go (console.warn by default). */
  warn: z.custom<(message: string) => void>((value) => typeof value === 'function').optional(),
});

/** Untrusted configuration as read from env or a config file. */
export type GithubClientConfig = z.input<typeof GithubClientConfigSchema>;

const GithubOctokit = Octokit.plugin(retry, throttling);

/** An Octokit with retry and throttling, as createGithubClient returns it. */
export type GithubClient = InstanceType<typeof GithubOctokit>;

/** A client bound to the repository a review provider works on. */
export interface GithubRepo {
  client: GithubClient;
  owner: string;
  repo: string;
}

// plugin-throttling only calls `key(id).schedule(options, task)` on these; this one adds no delay.
const unpaced = { key: () => ({ schedule: (_options: unknown, task: () => unknown) => Promise.resolve().then(task) }) };

/**
 * Builds the Octokit schemagate talks to GitHub with: 5xx answers retried,
 * rate limits waited out a bounded number of times, then a clear
 * GithubRequestError (code `rate_limited`, `unavailable` or `remote_error`).
 * Throws AppError `configuration_error` at once for bad configuration.
 *
 * @example
 *   const client = createGithubClient({ auth: { kind: 'token', token: process.env.GITHUB_TOKEN! } });
 *   const app = createGithubClient({
 *     baseUrl: 'https://github.example.com/api/v3',
 *     auth: { kind: 'app', appId: 123, privateKey: pem, installationId: 456 },
 *   });
 */
export function createGithubClient(config: GithubClientConfig): GithubClient {
  const parsed = GithubClientConfigSchema.safeParse(config);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new AppError('configuration_error', `Invalid GitHub client configuration: ${problems}`);
  }
  const settings = parsed.data;
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      options: { method?: string; url?: string },
      octokit: { log: { warn: (m: string) => void } },
      retryCount: number,
    ) => {
      const retrying = retryCount < settings.rateLimitRetries && retryAfter <= settings.maxRetryAfterSeconds;
      octokit.log.warn(
        `GitHub ${kind} rate limit on ${options.method} ${options.url}: ${retrying ? `retrying in ${retryAfter}s (retry ${retryCount + 1} of ${settings.rateLimitRetries})` : 'giving up'}`,
      );
      return retrying;
    };
  const client = new GithubOctokit({
    baseUrl: settings.baseUrl.replace(/\/$/, ''),
    userAgent: settings.userAgent,
    ...(settings.auth.kind === 'token'
      ? { auth: settings.auth.token }
      : {
          authStrategy: createAppAuth,
          auth: {
            appId: settings.auth.appId,
            privateKey: settings.auth.privateKey,
            installationId: settings.auth.installationId,
          },
        }),
    retry: { retries: settings.retries, retryAfterBaseValue: settings.millisecondsPerSecond },
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      retryAfterBaseValue: settings.millisecondsPerSecond,
      ...(settings.pacedWrites ? {} : ({ write: unpaced, notifications: unpaced } as object)),
    },
    // Failed requests reach the caller as GithubRequestError; logging them here too would only repeat it.
    log: { debug: () => {}, info: () => {}, warn: settings.warn ?? console.warn, error: () => {} },
  });
  // Registered last, so it sees errors only after retries and throttling gave up.
  client.hook.error('request', (error, options) => {
    throw toGithubRequestError(error, options as { request?: { retryCount?: number } });
  });
  return client;
}
