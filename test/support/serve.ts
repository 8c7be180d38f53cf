import { tmpdir } from 'node:os';
import { afterEach } from 'vitest';
import { createAgent } from '../../src/agents/agents.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { serve, type RunningServer, type ServeOptions } from '../../src/server/serve.ts';
import type { TestDatabase } from './database.ts';

const running: RunningServer[] = [];
afterEach(() => closeServes());

/** Closes every server `startServe` started and the test has not closed; done after each test. */
export async function closeServes(): Promise<void> {
  await Promise.all(running.splice(0).map((s) => s.close()));
}

/**
 * `schemagate serve` on a free port, configured as from an empty environment
 * plus `overrides`; closed after the test unless `closeServe` closed it.
 *
 * @example
 * const server = await startServe({ databaseUrl: database.url }, { log: (line) => lines.push(line) });
 */
export async function startServe(
  overrides: Partial<Config>,
  options: Partial<ServeOptions> = {},
): Promise<RunningServer> {
  const config: Config = { ...loadConfig({ env: {}, cwd: tmpdir() }), port: 0, ...overrides };
  const server = await serve(config, { log: () => {}, ...options });
  running.push(server);
  return server;
}

/** Starts closing `server` now, for a test that watches the shutdown; resolves once it is closed. */
export function closeServe(server: RunningServer): Promise<void> {
  running.splice(running.indexOf(server), 1);
  return server.close();
}

/** Request headers with the token of a new agent on `database` that may propose and read. */
export async function agentHeaders(database: TestDatabase, name: string): Promise<Record<string, string>> {
  const { token } = await database.db.transaction((tx) => createAgent(tx, { name, scopes: ['propose', 'read'] }));
  return tokenHeaders(token);
}

export const tokenHeaders = (token: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
});

/** POST /api/proposals on the server at `url`. */
export const postProposal = (url: string, headers: Record<string, string>, proposal: { title: string; sql: string }) =>
  fetch(`${url}/api/proposals`, { method: 'POST', headers, body: JSON.stringify(proposal) });
