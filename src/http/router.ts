import type { HttpDeps } from './deps.ts';
import { errorResponse, HttpError } from './respond.ts';
import { dashboardRoute, proposalStreamRoute } from './routes/dashboard.ts';
import { healthRoute, openApiRoute } from './routes/meta.ts';
import {
  createProposalRoute,
  getProposalRoute,
  listEventsRoute,
  listProposalsRoute,
  proposalReportRoute,
  reviseProposalRoute,
  withdrawProposalRoute,
} from './routes/proposals.ts';
import { createReviewRoute } from './routes/reviews.ts';
import { githubWebhookRoute } from './routes/github-webhook.ts';

type Handler = (request: Request, deps: HttpDeps, params: Record<string, string>) => Promise<Response>;

/** Path patterns with `:name` segments, and a handler per method. */
export const routes: Array<{ path: string; methods: Record<string, Handler> }> = [
  { path: '/', methods: { GET: dashboardRoute } },
  { path: '/dashboard', methods: { GET: dashboardRoute } },
  { path: '/api/health', methods: { GET: healthRoute } },
  { path: '/api/openapi.json', methods: { GET: openApiRoute } },
  { path: '/api/proposals', methods: { GET: listProposalsRoute, POST: createProposalRoute } },
  { path: '/api/proposals/:id', methods: { GET: getProposalRoute } },
  { path: '/api/proposals/:id/revisions', methods: { POST: reviseProposalRoute } },
  { path: '/api/proposals/:id/withdraw', methods: { POST: withdrawProposalRoute } },
  { path: '/api/proposals/:id/events', methods: { GET: listEventsRoute } },
  { path: '/api/proposals/:id/report', methods: { GET: proposalReportRoute } },
  // Served by the proposals function (`/api/proposals/*`): a streamed response, ended within Netlify's 60 s limit.
  {
    path: '/api/proposals/:id/stream',
    methods: { GET: (request, deps, params) => proposalStreamRoute(request, deps, params) },
  },
  { path: '/api/proposals/:id/reviews', methods: { POST: createReviewRoute } },
  { path: '/api/github/webhook', methods: { POST: githubWebhookRoute } },
];

/**
 * Answers one API request. Netlify functions, the local server and the tests
 * all come through here.
 *
 * @example
 * const response = await handleApi(new Request('http://localhost/api/health'), deps);
 */
export async function handleApi(request: Request, deps: HttpDeps): Promise<Response> {
  try {
    const { pathname } = new URL(request.url);
    for (const route of routes) {
      const params = match(route.path, pathname);
      if (!params) continue;
      const handler = route.methods[request.method];
      if (!handler) {
        const allow = Object.keys(route.methods).join(', ');
        throw new HttpError('method_not_allowed', `${request.method} is not allowed on ${route.path}; use ${allow}`, {
          headers: { allow },
        });
      }
      return await handler(request, deps, params);
    }
    throw new HttpError('route_not_found', `no API endpoint at ${pathname}; see /api/openapi.json`);
  } catch (error) {
    return errorResponse(error, deps.log);
  }
}

function match(pattern: string, pathname: string): Record<string, string> | undefined {
  const trim = (p: string) => p.replace(/\/+$/, '') || '/';
  const want = trim(pattern).split('/');
  const got = trim(pathname).split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const actual = got[i] ?? '';
    if (segment.startsWith(':')) {
      try {
        params[segment.slice(1)] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (segment !== actual) return undefined;
  }
  return params;
}
