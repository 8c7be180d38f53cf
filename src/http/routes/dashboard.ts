import { statuses } from '../../domain/lifecycle.ts';
import { proposalVersion } from '../../proposals/proposal-version.ts';
import { authenticate } from '../auth.ts';
import { dashboardHtml } from '../dashboard-page.ts';
import type { HttpDeps } from '../deps.ts';
import { idOf } from './ids.ts';

const page = dashboardHtml.replace('__STATUSES__', JSON.stringify(statuses));

/** The review dashboard: a static page; the data comes from the API with the viewer's token. */
export async function dashboardRoute(): Promise<Response> {
  return new Response(page, {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      // The page only talks to this origin and runs only its own inline script.
      'content-security-policy':
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
      'cache-control': 'no-store',
    },
  });
}

export interface StreamTiming {
  /** How often the database is asked whether the proposal changed. */
  pollMs: number;
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs: number;
  /** The stream ends after this long and the client reconnects: under Netlify's 60 s limit for a synchronous function. */
  lifetimeMs: number;
}

const defaultTiming: StreamTiming = { pollMs: 1000, heartbeatMs: 15_000, lifetimeMs: 50_000 };

/**
 * `GET /api/proposals/:id/stream`: server-sent events for one proposal, an
 * `event: change` whenever what a reader sees of it changes (status, a
 * review, a preview finishing), with `{status, version}`; the reader then
 * fetches what it shows. The browser reads it with fetch(), not EventSource,
 * because EventSource cannot send the Authorization header. One cheap query
 * per poll; the stream ends after `lifetimeMs` and the client reconnects.
 *
 * @example
 * routes.push({ path: '/api/proposals/:id/stream', methods: { GET: proposalStreamRoute } });
 */
export async function proposalStreamRoute(
  request: Request,
  deps: HttpDeps,
  params: Record<string, string>,
  timing: StreamTiming = defaultTiming,
): Promise<Response> {
  await authenticate(request, deps, 'read');
  const id = idOf(params);
  let last = await proposalVersion(deps.db, id); // a 404 before any stream starts
  const encoder = new TextEncoder();
  let stopped = false;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stopped = true; // the reader went away between two polls
        }
      };
      const change = (v: typeof last) => send(`event: change\ndata: ${JSON.stringify(v)}\n\n`);
      const started = Date.now();
      let beat = started;
      change(last);
      request.signal.addEventListener('abort', () => (stopped = true), { once: true });
      while (!stopped && Date.now() - started < timing.lifetimeMs) {
        await new Promise((resolve) => setTimeout(resolve, timing.pollMs));
        if (stopped) break;
        try {
          const now = await proposalVersion(deps.db, id);
          if (now.version !== last.version) change((last = now));
          else if (Date.now() - beat >= timing.heartbeatMs) send(': keep-alive\n\n');
          else continue;
          beat = Date.now();
        } catch (error) {
          // The reader reconnects and gets a fresh answer (or the error) then.
          deps.log('proposal stream stopped', error);
          break;
        }
      }
      if (!stopped) controller.close();
    },
    cancel() {
      stopped = true;
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    },
  });
}
