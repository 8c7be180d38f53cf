// Serves the functions zip-it-and-ship-it built, as Netlify routes them:
// each function's bundled module (the file its ___netlify-entry-point.mjs
// hands to Netlify's bootstrap) is imported from the bundle directory and
// called with a Request and a context; routes come from the bundles'
// manifest.json; `/.netlify/functions/<name>` reaches any function; a
// background function answers 202 at once and runs on. Only node: builtins,
// so nothing outside the bundles is loaded.
//   node netlify-bundle-host.ts <bundles dir>   → prints "listening <port>"
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';

interface ManifestFunction {
  name: string;
  path: string;
  invocationMode?: string;
  routes?: Array<{ literal?: string; expression?: string }>;
}

type Handler = (request: Request, context: object) => Promise<Response | undefined> | Response | undefined;

const bundles = process.argv[2]!;
const manifest = JSON.parse(await readFile(path.join(bundles, 'manifest.json'), 'utf8')) as { functions: ManifestFunction[] };
const functions = await Promise.all(
  manifest.functions.map(async (f) => {
    const entry = await readFile(path.join(f.path, '___netlify-entry-point.mjs'), 'utf8');
    const file = /getLambdaHandler\('([^']+)'\)/.exec(entry)?.[1];
    if (!file) throw new Error(`${f.name}: no module named in its entry point`);
    const module = (await import(pathToFileURL(path.join(f.path, file)).href)) as { default: Handler };
    return { ...f, handler: module.default };
  }),
);

function route(pathname: string): (typeof functions)[number] | undefined {
  const direct = /^\/\.netlify\/functions\/([^/]+)$/.exec(pathname)?.[1];
  if (direct) return functions.find((f) => f.name === direct);
  return functions.find((f) => f.routes?.some((r) => (r.literal !== undefined ? r.literal === pathname : new RegExp(r.expression!).test(pathname))));
}

async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const origin = `http://${req.headers.host}`;
  const url = new URL(req.url ?? '/', origin);
  const fn = route(url.pathname);
  if (!fn) return void res.writeHead(404).end();
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const request = new Request(url, {
    method: req.method,
    headers: Object.entries(req.headers).flatMap(([name, value]) => (Array.isArray(value) ? value.map((v) => [name, v] as [string, string]) : value === undefined ? [] : [[name, value] as [string, string]])),
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } : {}),
  } as RequestInit);
  const context = { site: { url: origin }, params: {}, requestId: `${Date.now()}`, waitUntil: (p: Promise<unknown>) => void p.catch(() => {}) };
  if (fn.invocationMode === 'background') {
    res.writeHead(202).end();
    const response = await fn.handler(request, context);
    console.log(`background ${fn.name} ${response?.status ?? '-'} ${response ? (await response.text()).replace(/\s*\n\s*/g, '') : ''}`);
    return;
  }
  const response = (await fn.handler(request, context)) ?? new Response(null, { status: 204 });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) return void res.end();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
  res.end();
}

const server = createServer((req, res) => {
  serve(req, res).catch((error: unknown) => {
    console.log(`host error ${(error as Error).stack ?? String(error)}`);
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`));
