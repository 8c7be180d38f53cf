import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach } from 'vitest';
import type { HttpDeps } from '../../src/http/deps.ts';
import { handleApi } from '../../src/http/router.ts';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise((resolve) => (s.closeAllConnections(), s.close(resolve)))),
  );
});

/**
 * The API router (or `handler`, which may wrap it) behind a real socket, without the @netlify/dev
 * function emulation (which bundles every request): for clients under test. Bodies are piped
 * as they are written, so streamed responses stream.
 */
export async function startApiServer(
  deps: HttpDeps,
  handler: (request: Request, deps: HttpDeps) => Promise<Response> = handleApi,
): Promise<string> {
  const server = http.createServer(async (req, res) => {
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : (Readable.toWeb(req) as ReadableStream);
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body,
      duplex: 'half',
      signal: gone.signal,
    } as RequestInit);
    const response = await handler(request, deps);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body) Readable.fromWeb(response.body as never).pipe(res);
    else res.end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
