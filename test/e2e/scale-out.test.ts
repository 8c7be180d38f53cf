import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createAgent } from '../../src/agents/agents.ts';
import { createApiClient } from '../../src/client/api-client.ts';
import { freePort } from '../../src/database/embedded-postgres.ts';
import { waitFor } from '../../src/client/wait.ts';
import { branchProvider } from '../../src/jobs/runtime.ts';
import { loadConfig } from '../../src/config.ts';
import { withClient } from '../../src/database/server-admin.ts';
import { setupProductionRole } from '../../src/promote/production-role.ts';
import { createScratchDatabase, createTestDatabase, testRoleName } from '../support/database.ts';

const bin = fileURLToPath(new URL('../../bin/schemagate.js', import.meta.url));
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `schemagate serve` as its own process; resolves with its URL once it prints the serving line. */
async function startServe(env: NodeJS.ProcessEnv, cwd: string): Promise<{ url: string; pid: number }> {
  const port = await freePort(0);
  const child = spawn(process.execPath, [bin, 'serve', '--port', String(port)], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => stop(child));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /serving (http:\/\/\S+)\/api/.exec(output);
      if (found) resolve(found[1]!);
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`serve exited ${code} before serving:\n${output}`)));
  });
  return { url, pid: child.pid! };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe('two serve processes on one control plane', () => {
  it('preview each of 20 proposals sent at once exactly once, between them, and bring all to awaiting_review', async () => {
    const controlPlane = await createTestDatabase();
    const production = await createScratchDatabase();
    // A small schema, written before anything connects: production is the template of every branch.
    await withClient(production.url, (client) =>
      client.query(`
        create table customers (id bigint generated always as identity primary key, email text not null unique);
        create table orders (id bigint generated always as identity primary key, customer_id bigint not null references customers, total numeric not null);
        insert into customers (email) select 'c' || g || '@example.com' from generate_series(1, 200) g;
        insert into orders (customer_id, total) select 1 + g % 200, g from generate_series(1, 1000) g;`),
    );
    const migrator = await setupProductionRole(production.url, { role: testRoleName() });
    const repositoryDir = await mkdtemp(path.join(tmpdir(), 'sg-scale-out-'));
    cleanups.push(() => rm(repositoryDir, { recursive: true, force: true }));
    const env = {
      ...process.env,
      NODE_OPTIONS: '',
      DATABASE_URL: controlPlane.url,
      PRODUCTION_DATABASE_URL: migrator.url,
      PREVIEW_DATABASE_URL: inject('adminUrl'),
      SCHEMAGATE_REPOSITORY_DIR: repositoryDir,
      SCHEMAGATE_DATA_DIR: path.join(repositoryDir, '.schemagate'),
    };
    // The previews' base copy and branches outlive the servers (until their TTL): dropped once both have stopped.
    const provider = branchProvider(loadConfig({ env, cwd: repositoryDir }))!;
    cleanups.push(() => provider.dropAll());
    const servers = await Promise.all([startServe(env, repositoryDir), startServe(env, repositoryDir)]);

    const agents = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        controlPlane.db.transaction((tx) => createAgent(tx, { name: `agent-${i}`, scopes: ['propose', 'read'] })),
      ),
    );
    const clients = agents.map((agent, i) => createApiClient({ url: servers[i % 2]!.url, token: agent.token }));
    const ids = (
      await Promise.all(
        clients.map((api, i) =>
          api.propose({
            title: `Notes ${i}`,
            sql: `create table notes_${i} (id bigint generated always as identity primary key, order_id bigint references orders);\n`,
          }),
        ),
      )
    ).map((p) => p.id);

    const outcomes = await Promise.all(
      ids.map((id, i) => waitFor(clients[i]!, id, { until: 'awaiting_review', timeoutMs: 240_000 })),
    );
    expect(outcomes.map((o) => o.proposal.status)).toEqual(ids.map(() => 'awaiting_review'));

    const q = async <T extends pg.QueryResultRow>(sql: string) => (await controlPlane.pool.query<T>(sql, [ids])).rows;
    // One preview run per proposal, claimed once: no second attempt, no takeover.
    const runs = await q<{ proposal_id: string; attempts: number; status: string; claimed_by: string | null }>(
      'select proposal_id, attempts, status, claimed_by from schemagate.preview_runs where proposal_id = any($1)',
    );
    expect(runs).toHaveLength(20);
    expect(new Set(runs.map((r) => r.proposal_id)).size).toBe(20);
    expect(runs.every((r) => r.attempts === 1 && r.status === 'succeeded')).toBe(true);
    const events = await q<{ type: string; n: number }>(
      `select type, count(*)::int as n from schemagate.audit_events
        where proposal_id = any($1) and type in ('proposal.start_preview', 'proposal.preview_succeeded', 'preview.taken_over', 'review.published')
        group by type order by type`,
    );
    expect(events).toEqual([
      { type: 'proposal.preview_succeeded', n: 20 },
      { type: 'proposal.start_preview', n: 20 },
      { type: 'review.published', n: 20 },
    ]);
    // Both processes took work: each claim's actor is worker:<host>:<pid>.
    const workers = await q<{ pid: number }>(
      `select distinct split_part(actor, ':', 3)::int as pid from schemagate.audit_events where proposal_id = any($1) and type = 'proposal.start_preview'`,
    );
    expect(new Set(workers.map((w) => w.pid))).toEqual(new Set(servers.map((s) => s.pid)));
    // One migration file per proposal, each with its own numeric prefix (Netlify requires them unique).
    const files = await readdir(path.join(repositoryDir, 'netlify/database/migrations'));
    expect(files).toHaveLength(20);
    expect(new Set(files.map((f) => Number(/^(\d+)_/.exec(f)![1]))).size).toBe(20);
  }, 300_000);
});
