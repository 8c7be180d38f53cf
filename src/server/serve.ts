import { createHash } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { NetlifyDev } from '@netlify/dev';
import { createAgent, listAgents } from '../agents/agents.ts';
import type { Config } from '../config.ts';
import { openControlPlane } from '../database/control-plane.ts';
import { openDatabase } from '../database/connection.ts';
import { databaseUrl } from '../preview/server-admin.ts';
import { setupProductionRole } from '../promote/production-role.ts';
import { assertProductionRole } from '../promote/production-startup.ts';
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
  close(): Promise<void>;
}

/**
 * Serves the Netlify Functions of this project on localhost through
 * `@netlify/dev`, on the migrated control-plane database.
 *
 * @example
 * const server = await serve(loadConfig({ env: process.env, cwd: process.cwd() }), { log: console.error });
 * console.log(server.url); // http://localhost:8888
 */
export async function serve(config: Config, options: { log: (line: string) => void; host?: string }): Promise<RunningServer> {
  const plane = await openControlPlane(config, options);
  let localToken: string | undefined;
  try {
    localToken = plane.embedded ? await ensureLocalAgent(plane.url, config) : undefined;
    if (plane.embedded && !config.productionUrl) {
      // The embedded default previews against a local "production" database on the same server,
      // and promotes to it as a migrator of its own, like any production.
      config = { ...config, productionUrl: await embeddedProduction(plane.embedded.url), previewServerUrl: plane.embedded.url };
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
  const server = http.createServer();
  try {
    await listen(server, config.port, host);
  } catch (error) {
    await plane.release();
    throw error;
  }
  const worker = startLocalWorker(config, plane.url, options.log);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  const dev = new NetlifyDev({
    projectRoot,
    serverAddress: url,
    skipGitignore: true,
    functions: { enabled: true },
    edgeFunctions: { enabled: false },
    blobs: { enabled: false },
    database: { enabled: false },
    environmentVariables: { enabled: false },
    geolocation: { enabled: false },
    images: { enabled: false },
    aiGateway: { enabled: false },
    staticFiles: { enabled: false },
    redirects: { enabled: false },
    headers: { enabled: false },
  });
  await dev.start();
  server.on('request', (req, res) => {
    dev
      .handleAndIntrospectNodeRequest(req)
      .then(async (match) => {
        const response =
          match?.response ??
          Response.json({ error: { code: 'route_not_found', message: `no endpoint at ${req.url}; see /api/openapi.json` } }, { status: 404 });
        res.writeHead(response.status, Object.fromEntries(response.headers));
        if (response.body) Readable.fromWeb(response.body as never).pipe(res);
        else res.end();
      })
      .catch((error: unknown) => {
        options.log(`request failed: ${(error as Error).stack ?? String(error)}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'internal_error', message: 'internal error; the server log has the details' } }));
      });
  });

  return {
    url,
    databaseUrl: plane.url,
    localToken,
    productionUrl: config.productionUrl,
    close: async () => {
      await worker.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dev.stop();
      await plane.release();
    },
  };
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} is in use; set PORT to another port`) : error),
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
    const { token } = await createAgent(database.db, { name: 'local-agent', scopes: ['propose', 'read'] });
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
  // From the superuser's password only: the port may differ from one start to the next.
  const secret = decodeURIComponent(new URL(serverUrl).password);
  const password = createHash('sha256').update(`schemagate production migrator\0${secret}`).digest('base64url');
  return (await setupProductionRole(adminUrl, { password })).url;
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
