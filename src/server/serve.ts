import { createHash, randomUUID } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAgent, listAgents } from '../agents/agents.ts';
import type { Config } from '../config.ts';
import { openControlPlane } from '../database/control-plane.ts';
import { openDatabase } from '../database/connection.ts';
import { AppError } from '../errors.ts';
import { databaseUrl } from '../database/server-admin.ts';
import { setupProductionRole } from '../promote/production-role.ts';
import { assertProductionRole } from '../promote/production-startup.ts';
import { assertLocalReviewWritable } from '../review/local-review.ts';
import { closeApi } from '../http/runtime.ts';
import { functionMatcher, loadFunctionRoutes, type FunctionRoute } from './function-routes.ts';
import { closeGracefully, createHttpServer } from './http-server.ts';
import { startLocalWorker } from './local-worker.ts';
import pg from 'pg';

/** Where `netlify/functions` lives: the schemagate package, whatever the cwd. */
export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningServer {
  url: string;
  databaseUrl: string;
  /** The local agent token, when this start created it (first embedded start). */
  localToken: string | undefined;
  productionUrl: string | undefined;
  /** Stops accepting, drains requests in flight, stops the worker and the embedded Postgres. */
  close(): Promise<void>;
}

export interface ServeOptions {
  log: (line: string) => void;
  host?: string;
  /** Serve through the @netlify/dev emulation instead of in-process (slow; a deployment check). */
  netlifyDev?: boolean;
  /** How long requests in flight may take to finish once shutdown starts. */
  drainMs?: number;
  /** The worker's safety-net poll; NOTIFY wakes it at once. */
  workerPollMs?: number;
}

/**
 * Serves the Netlify Functions of this project in-process on `node:http`,
 * routed by each function's own `config.path`, on the migrated control-plane
 * database, with the preview and promotion worker running beside it.
 *
 * @example
 * const server = await serve(loadConfig({ env: process.env, cwd: process.cwd() }), { log: console.error });
 * console.log(server.url); // http://localhost:8888
 * process.once('SIGTERM', () => server.close());
 */
export async function serve(config: Config, options: ServeOptions): Promise<RunningServer> {
  // Before anything starts: previews would otherwise end awaiting review with no file to review.
  await assertLocalReviewWritable(config.review);
  const plane = await openControlPlane(config, options);
  let localToken: string | undefined;
  try {
    localToken = plane.embedded ? await ensureLocalAgent(plane.url, config) : undefined;
    if (plane.embedded && !config.productionUrl) {
      // The embedded default previews against a local "production" database on the same server,
      // and promotes to it as a migrator of its own, like any production.
      config = {
        ...config,
        productionUrl: await embeddedProduction(plane.embedded.url),
        previewServerUrl: plane.embedded.url,
      };
    }
    await assertProductionRole(config, options.log);
  } catch (error) {
    await plane.release();
    throw error;
  }
  // The functions read their configuration from the environment, as on Netlify.
  process.env.DATABASE_URL = plane.url;
  if (config.productionUrl) process.env.PRODUCTION_DATABASE_URL = config.productionUrl;
  if (config.previewServerUrl) process.env.PREVIEW_DATABASE_URL = config.previewServerUrl;
  process.env.SCHEMAGATE_PREVIEW_WORKER = 'in-process';

  const host = options.host ?? '127.0.0.1';
  let dispatch: (request: Request) => Promise<Response>;
  let stopEmulation = async () => {};
  // The emulation needs the server's address, known only once it listens: its requests wait for it.
  let emulation: Promise<Awaited<ReturnType<typeof import('./netlify-dev.ts').startNetlifyDev>>> | undefined;
  let setAddress: (url: string) => void = () => {};
  if (options.netlifyDev) {
    const address = new Promise<string>((resolve) => (setAddress = resolve));
    emulation = Promise.all([import('./netlify-dev.ts'), address]).then(([m, url]) =>
      m.startNetlifyDev(projectRoot, url),
    );
    stopEmulation = async () => (await emulation)?.stop();
    dispatch = async (request) => (await (await emulation!).handle(request)) ?? notFound(new URL(request.url).pathname);
  } else {
    try {
      dispatch = functionsHandler(await loadFunctionRoutes(path.join(projectRoot, 'netlify', 'functions')));
      // Load the API's modules and open its pool now, so the first real request is as fast as the rest.
      await dispatch(new Request('http://localhost/api/health'));
    } catch (error) {
      await plane.release();
      throw error;
    }
  }
  const server = createHttpServer(dispatch, { log: options.log });
  try {
    await listen(server, config.port, host);
  } catch (error) {
    await closeApi();
    await plane.release();
    throw error;
  }
  const worker = startLocalWorker(config, plane.url, options.log, { pollMs: options.workerPollMs });
  await worker.ready;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  setAddress(url);
  if (emulation) {
    await emulation.catch(async (error: unknown) => {
      await closeGracefully(server, 0);
      await worker.stop();
      await plane.release();
      throw error;
    });
  }

  let closing: Promise<void> | undefined;
  return {
    url,
    databaseUrl: plane.url,
    localToken,
    productionUrl: config.productionUrl,
    close: () =>
      (closing ??= (async () => {
        await closeGracefully(server, options.drainMs ?? 10_000);
        await worker.stop();
        await stopEmulation();
        await closeApi();
        await plane.release();
      })()),
  };
}

const notFound = (pathname: string) =>
  Response.json(
    { error: { code: 'route_not_found', message: `no endpoint at ${pathname}; see /api/openapi.json` } },
    { status: 404 },
  );

/** Calls the function whose `config.path` matches, as Netlify would, with its params. */
function functionsHandler(routes: FunctionRoute[]) {
  const find = functionMatcher(routes);
  return async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    const found = find(pathname);
    if (!found) return notFound(pathname);
    return await found.route.handler(request, { params: found.params, requestId: randomUUID() });
  };
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new AppError('port_in_use', `port ${port} is in use; set PORT to another port`, { port })
          : error,
      ),
    );
    server.listen(port, host, () => resolve());
  });
}

/**
 * On the first start of the embedded default there is no agent yet: create
 * one so the README's curl works right away. Its token is printed once and
 * kept, readable by this user only, in the data directory.
 */
async function ensureLocalAgent(url: string, config: Config): Promise<string | undefined> {
  const database = openDatabase(url, { max: 1 });
  try {
    if ((await listAgents(database.db, { includeRevoked: true })).length > 0) return undefined;
    const { token } = await database.db.transaction((tx) =>
      createAgent(tx, { name: 'local-agent', scopes: ['propose', 'read'] }),
    );
    const file = path.join(config.dataDir, 'local-agent-token');
    await writeFile(file, `${token}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
    return token;
  } finally {
    await database.close();
  }
}

/**
 * The embedded production database and its migrator (setupProductionRole),
 * whose password derives from the embedded server's own secret: every start
 * agrees on it without storing another, and a restart changes nothing.
 */
async function embeddedProduction(serverUrl: string): Promise<string> {
  const adminUrl = await ensureDatabase(serverUrl, 'production');
  // What the application runs there becomes the preview's workload (preview.workload.source auto).
  await withStatStatements(adminUrl);
  // From the superuser's password only: the port may differ from one start to the next.
  const secret = decodeURIComponent(new URL(serverUrl).password);
  const password = createHash('sha256').update(`schemagate production migrator\0${secret}`).digest('base64url');
  return (await setupProductionRole(adminUrl, { password })).url;
}

/** pg_stat_statements in the embedded production, when the server loaded it (embedded-postgres.ts). */
async function withStatStatements(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ loaded: boolean }>(
      `select 'pg_stat_statements' = any(regexp_split_to_array(current_setting('shared_preload_libraries'), '\\s*,\\s*')) as loaded`,
    );
    if (rows[0]?.loaded) await client.query('create extension if not exists pg_stat_statements');
  } finally {
    await client.end();
  }
}

async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  return databaseUrl(serverUrl, name);
}
