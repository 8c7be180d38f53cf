import type { StandinState } from './standin-state.ts';

/** Who a request authenticated as. */
export interface Actor {
  login: string;
  kind: 'user' | 'installation' | 'app';
  appId?: number;
}

export interface HandlerContext {
  state: StandinState;
  params: Record<string, string>;
  /** The request URL on the stand-in (for Link headers). */
  url: URL;
  query: Record<string, unknown>;
  // Already validated against the operation's request schema.
  body: any;
  actor: Actor;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (context: HandlerContext) => Promise<HandlerResult>;

const DOCS = 'https://docs.github.com/rest';

/** An answer GitHub gives with an error status; the server turns it into JSON. */
export class GithubApiError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;

  constructor(status: number, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.body = { message, documentation_url: DOCS, status: String(status), ...extra };
  }
}

export function notFound(): GithubApiError {
  return new GithubApiError(404, 'Not Found');
}

export function unprocessable(message: string, errors?: unknown[]): GithubApiError {
  return new GithubApiError(422, message, errors ? { errors } : {});
}

export function ok(body: unknown, status = 200): HandlerResult {
  return { status, body };
}

/**
 * One page of `items` with GitHub's `Link` header, which Octokit's paginate
 * follows (per_page defaults to 30, at most 100).
 */
export function paged(context: HandlerContext, items: unknown[]): HandlerResult {
  const perPage = Math.min(Number(context.query.per_page ?? 30), 100);
  const page = Number(context.query.page ?? 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string) => {
    const url = new URL(context.url);
    url.searchParams.set('page', String(n));
    url.searchParams.set('per_page', String(perPage));
    return `<${url}>; rel="${rel}"`;
  };
  const links = [
    ...(page > 1 ? [link(page - 1, 'prev'), link(1, 'first')] : []),
    ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
  ];
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : {},
  };
}

/** Path parameters arrive percent-encoded when they hold slashes (refs, paths). */
export function param(context: HandlerContext, name: string): string {
  const value = context.params[name];
  if (value === undefined) throw new Error(`route has no parameter ${name}`);
  return decodeURIComponent(value);
}

/** Resolves a branch name, full ref or commit sha the way the contents API does. */
export async function resolveRef(context: HandlerContext, ref: string | undefined): Promise<string | undefined> {
  const git = context.state.git;
  const name = ref ?? 'main';
  if (/^[0-9a-f]{40}$/.test(name)) return git.resolve(name);
  return (await git.resolve(`refs/heads/${name}`)) ?? (name.startsWith('refs/') ? git.resolve(name) : undefined);
}
