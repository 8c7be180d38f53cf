import http from 'node:http';
import { getRequestListener } from '@hono/node-server';

export interface HttpServerOptions {
  log: (line: string) => void;
  /** An idle keep-alive connection is closed after this long. */
  keepAliveTimeoutMs?: number;
  /** The request line and headers must arrive within this long (slowloris). */
  headersTimeoutMs?: number;
  /** The whole request, body included, must arrive within this long. */
  requestTimeoutMs?: number;
}

/** What goes back when a handler throws: nothing of the error reaches the client. */
const internalError = () =>
  new Response(
    JSON.stringify({ error: { code: 'internal_error', message: 'internal error; the server log has the details' } }),
    {
      status: 500,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    },
  );

/**
 * A `node:http` server for a fetch-style handler, with the handler attached
 * before it listens (a request that arrives during start-up waits for the
 * handler, never for nothing), timeouts a public server needs and one access
 * log line per request.
 *
 * @example
 * const server = createHttpServer((request) => serveFunction(request), { log: console.error });
 * server.listen(8888);
 */
export function createHttpServer(
  handler: (request: Request) => Promise<Response>,
  options: HttpServerOptions,
): http.Server {
  const listener = getRequestListener(
    async (request) => {
      try {
        return await handler(request);
      } catch (error) {
        options.log(`request failed: ${(error as Error).stack ?? String(error)}`);
        return internalError();
      }
    },
    {
      // Keep the platform's Request and Response: the functions and their tests use the real ones.
      overrideGlobalObjects: false,
      errorHandler: (error) => {
        options.log(`request failed: ${(error as Error).stack ?? String(error)}`);
        return internalError();
      },
    },
  );
  const server = http.createServer((req, res) => {
    const started = performance.now();
    res.once('finish', () => options.log(accessLine(req, res.statusCode, performance.now() - started)));
    res.once('close', () => {
      if (!res.writableFinished) options.log(accessLine(req, 499, performance.now() - started, 'client closed'));
    });
    void listener(req, res);
  });
  // keep-alive shorter than headers timeout, as Node requires for reused sockets to be cut cleanly.
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 5_000;
  server.headersTimeout = options.headersTimeoutMs ?? 15_000;
  // Netlify cuts a synchronous function at 60 s; a request that takes longer to send is cut here.
  server.requestTimeout = options.requestTimeoutMs ?? 65_000;
  return server;
}

function accessLine(req: http.IncomingMessage, status: number, ms: number, note?: string): string {
  // The path without its query: queries are the client's data and can be long or hostile.
  const raw = req.url ?? '';
  const pathOnly = raw.split('?', 1)[0] ?? '';
  const shown = pathOnly.length > 200 ? `${pathOnly.slice(0, 200)}…` : pathOnly;
  return `${new Date().toISOString()} ${req.method} ${JSON.stringify(shown).slice(1, -1)} ${status} ${ms.toFixed(1)}ms${note ? ` (${note})` : ''}`;
}

/**
 * Stops accepting connections, lets requests in flight finish (closing each
 * keep-alive connection as soon as it is idle), and cuts whatever is still
 * open after `graceMs`.
 *
 * @example
 * await closeGracefully(server, 10_000);
 */
export function closeGracefully(server: http.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}
