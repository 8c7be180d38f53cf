// Serves the functions zip-it-and-ship-it built, the way Netlify's runtime
// calls them: each bundle's own entry point (___netlify-entry-point.mjs,
// Netlify's bootstrap around the function) is given a Lambda event and a
// response stream, under a minimal stand-in for the `awslambda` global the
// Lambda Node.js runtime provides. Routes come from the bundles'
// manifest.json; `/.netlify/functions/<name>` reaches any function; a
// background function answers 202 at once and runs on. Only node: builtins,
// so nothing outside the bundles is loaded.
//   node netlify-bundle-host.ts <bundles dir>   → prints "listening <port>"
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';

interface ManifestFunction {
  name: string;
  path: string;
  invocationMode?: string;
  routes?: Array<{ literal?: string; expression?: string }>;
}

interface ResponseMeta {
  statusCode: number;
  multiValueHeaders?: Record<string, string[]>;
}

type LambdaHandler = (event: object, stream: PassThrough, context: object) => Promise<void>;

// What the Lambda runtime gives a streaming handler: the bootstrap writes the status and headers through HttpResponseStream.from.
(globalThis as { awslambda?: unknown }).awslambda = {
  streamifyResponse: (handler: LambdaHandler) => handler,
  HttpResponseStream: {
    from: (stream: PassThrough, meta: ResponseMeta) => {
      stream.emit('response-meta', meta);
      return stream;
    },
  },
};

const bundles = process.argv[2]!;
const manifest = JSON.parse(await readFile(path.join(bundles, 'manifest.json'), 'utf8')) as {
  functions: ManifestFunction[];
};
const functions = await Promise.all(
  manifest.functions.map(async (f) => {
    const entry = (await import(pathToFileURL(path.join(f.path, '___netlify-entry-point.mjs')).href)) as {
      handler: LambdaHandler;
    };
    return { ...f, handler: entry.handler };
  }),
);

function route(pathname: string): (typeof functions)[number] | undefined {
  const direct = /^\/\.netlify\/functions\/([^/]+)$/.exec(pathname)?.[1];
  if (direct) return functions.find((f) => f.name === direct);
  return functions.find((f) =>
    f.routes?.some((r) =>
      r.literal !== undefined ? r.literal === pathname : new RegExp(r.expression!).test(pathname),
    ),
  );
}

/** Calls a bundle as Lambda would; resolves with the status and headers once the bootstrap sends them, and the body stream. */
function invoke(
  fn: (typeof functions)[number],
  event: object,
): { meta: Promise<ResponseMeta>; body: PassThrough; done: Promise<void> } {
  const body = new PassThrough();
  const meta = new Promise<ResponseMeta>((resolve) => body.once('response-meta', resolve));
  const context = {
    awsRequestId: randomUUID(),
    getRemainingTimeInMillis: () => (fn.invocationMode === 'background' ? 900_000 : 60_000),
    clientContext: undefined,
  };
  return { meta, body, done: fn.handler(event, body, context) };
}

async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
  const fn = route(url.pathname);
  if (!fn) return void res.writeHead(404).end();
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]),
  );
  const event = {
    rawUrl: url.href,
    httpMethod: req.method,
    headers,
    body: Buffer.concat(chunks).toString('base64'),
    isBase64Encoded: true,
    flags: {},
  };
  const call = invoke(fn, event);
  if (fn.invocationMode === 'background') {
    res.writeHead(202).end();
    const text = (async () => {
      let all = '';
      for await (const chunk of call.body) all += chunk;
      return all;
    })();
    await call.done;
    call.body.end();
    const { statusCode } = await call.meta;
    console.log(`background ${fn.name} ${statusCode} ${(await text).replace(/\s*\n\s*/g, '')}`);
    return;
  }
  const meta = await Promise.race([call.meta, call.done.then(() => call.meta)]);
  for (const [name, values] of Object.entries(meta.multiValueHeaders ?? {})) res.setHeader(name, values);
  res.writeHead(meta.statusCode);
  call.body.pipe(res);
  await call.done;
}

const server = createServer((req, res) => {
  serve(req, res).catch((error: unknown) => {
    console.log(`host error ${(error as Error).stack ?? String(error)}`);
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
});
server.listen(0, '127.0.0.1', () => {
  const port = (server.address() as AddressInfo).port;
  // Netlify's runtime gives functions the site's URL (context.site.url reads it).
  process.env.URL = `http://127.0.0.1:${port}`;
  console.log(`listening ${port}`);
});
