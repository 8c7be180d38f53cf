import { createAgent, type Scope } from '../../src/agents/agents.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { HttpDeps } from '../../src/http/deps.ts';
import { handleApi } from '../../src/http/router.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestApp {
  database: TestDatabase;
  deps: HttpDeps;
  token: string;
  logged: unknown[];
  newToken(name: string, scopes?: Scope[]): Promise<string>;
  newReviewer(name: string): Promise<string>;
  call(method: string, path: string, options?: CallOptions): Promise<Response>;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  rawBody?: BodyInit;
  headers?: Record<string, string>;
}

/** The API on a fresh control-plane database, called in-process with `new Request(...)`. */
export async function createTestApp(overrides: Partial<Config['limits']> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const base = loadConfig({ env: {}, cwd: '/nonexistent' });
  const config: Config = { ...base, limits: { ...base.limits, ...overrides } };
  const logged: unknown[] = [];
  const deps: HttpDeps = { db: database.db, config, now: () => new Date(), log: (_m, e) => logged.push(e) };
  const newToken = async (name: string, scopes: Scope[] = ['propose', 'read']) =>
    (await database.db.transaction((tx) => createAgent(tx, { name, scopes }))).token;
  const newReviewer = async (name: string) =>
    (await database.db.transaction((tx) => createAgent(tx, { name, scopes: ['review', 'read'], kind: 'reviewer' })))
      .token;
  const token = await newToken('agent-1');
  const call = (method: string, path: string, options: CallOptions = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    const bearer = options.token === undefined ? token : options.token;
    if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
    let body = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    // duplex: streamed bodies need it; harmless for the others.
    const init = { method, headers, body, duplex: 'half' } as RequestInit;
    return handleApi(new Request(`http://localhost${path}`, init), deps);
  };
  return { database, deps, token, logged, newToken, newReviewer, call };
}

export const goodProposal = {
  title: 'Add orders table',
  description: 'Orders placed by customers',
  sql: 'create table orders (id bigint generated always as identity primary key, total numeric not null);\n',
  down_sql: 'drop table orders;\n',
};
