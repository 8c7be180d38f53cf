/**
 * The agent's feedback loop: POST /api/proposals until the proposal is
 * awaiting_review, as an agent sees it (the CLI's and MCP's long poll), on
 * `schemagate serve` with its in-process worker. One agent alone is the
 * baseline; then 20 agents propose at once, for a few rounds. Both run twice
 * in the same run: with a worker that previews one at a time (as serve did
 * before; BENCH_BEFORE_CONCURRENCY) and with serve's default. The audit
 * events split each loop into queue wait (POST to claim), preview (claim to
 * result) and hand-back (result to the agent's answer); the preview's own
 * step timings say where the preview spends it.
 *
 *   npx node bench/feedback.bench.ts                      # the embedded default (Postgres 18), a temporary data directory
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx node bench/feedback.bench.ts
 *
 * With BENCH_DATABASE_URL (or TEST_DATABASE_URL) it creates sg_bench_feedback_* databases
 * (control plane, production) and a role on that server, and drops them at the end.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createAgent } from '../src/agents/agents.ts';
import { createApiClient, type ApiClient } from '../src/client/api-client.ts';
import { waitFor } from '../src/client/wait.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { openDatabase } from '../src/database/connection.ts';
import { migrateControlPlane } from '../src/database/migrate.ts';
import { branchProvider } from '../src/jobs/runtime.ts';
import { databaseUrl, dropDatabase, quoteIdent, withClient } from '../src/database/server-admin.ts';
import { setupProductionRole } from '../src/promote/production-role.ts';
import { serve, type RunningServer } from '../src/server/serve.ts';
import { quantile } from './stats.ts';

const agentsAtOnce = 20;
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const aloneRuns = Number(process.env.BENCH_ALONE ?? 5);
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;

const smallSchema = `
  create table customers (id bigint generated always as identity primary key, email text not null unique, created_at timestamptz not null default now());
  create table orders (id bigint generated always as identity primary key, customer_id bigint not null references customers, total numeric(12,2) not null);
  create index orders_customer on orders (customer_id);
  insert into customers (email) select 'c' || g || '@example.com' from generate_series(1, 500) g;
  insert into orders (customer_id, total) select 1 + g % 500, g from generate_series(1, 2000) g;`;

interface Loop {
  id: string;
  totalMs: number;
}

const dataDir = await mkdtemp(path.join(tmpdir(), 'sg-bench-feedback-'));
const cleanups: Array<() => Promise<unknown>> = [() => rm(dataDir, { recursive: true, force: true })];
let seq = 0;
let schemaWritten = false;

interface Measured {
  label: string;
  loops: Loop[];
  phases: Awaited<ReturnType<typeof phases>>;
  steps: Map<string, number>;
}

try {
  // The per-agent rate limit is not what this measures.
  process.env.SCHEMAGATE_RATE_LIMIT_REQUESTS = '100000000';
  const config = await prepare();
  const results: Measured[] = [];
  const tokens: string[] = [];
  // Worker settings compared in this run: one preview at a time (as serve did before) and serve's default
  // (empty). They alternate round by round, restarting the same server, so a busy machine's swings hit both alike.
  const settings = (process.env.BENCH_CONCURRENCIES ?? '1,').split(',');
  const label = (c: string) => (c ? `worker concurrency ${c}` : 'default worker');
  const byKey = new Map<string, Loop[]>();
  const add = (key: string, loops: Loop[]) => byKey.set(key, [...(byKey.get(key) ?? []), ...loops]);
  for (let r = 0; r < rounds; r++) {
    for (const concurrency of settings) {
      const server = await startServe(config, concurrency);
      const database = openDatabase(server.databaseUrl, { max: 2 });
      try {
        for (let i = tokens.length; i < agentsAtOnce; i++)
          tokens.push(
            (
              await database.db.transaction((tx) =>
                createAgent(tx, { name: `bench-agent-${i}`, scopes: ['propose', 'read'] }),
              )
            ).token,
          );
        const clients = tokens.map((token) => createApiClient({ url: server.url, token }));
        await loop(clients[0]!); // warm-up: the first preview after a start builds or finds the base copy of production
        const alone: Loop[] = [];
        for (let i = 0; i < aloneRuns; i++) alone.push(await loop(clients[0]!));
        add(`one agent alone, ${label(concurrency)}`, alone);
        add(
          `${agentsAtOnce} agents at once, ${label(concurrency)}`,
          await Promise.all(clients.map((api) => loop(api))),
        );
        if (r === rounds - 1 && concurrency === settings.at(-1)) {
          // Read while this server's database is up (an embedded server's port may change on restart).
          for (const [key, loops] of byKey)
            results.push({
              label: key,
              loops,
              phases: await phases(database.pool, loops),
              steps: await steps(database.pool, loops),
            });
        }
      } finally {
        await database.close();
        await server.close();
      }
    }
  }

  const baseline = stats(results[0]!.loops.map((l) => l.totalMs));
  console.log(
    `POST to awaiting_review on ${serverUrl ? 'BENCH_DATABASE_URL' : 'the embedded default'}, small schema (2 tables, 2,500 rows); ${rounds} round(s) of ${agentsAtOnce} agents:`,
  );
  for (const r of results) {
    const t = stats(r.loops.map((l) => l.totalMs));
    console.log(
      `  ${r.label.padEnd(52)} p50 ${ms(t.p50)}  p99 ${ms(t.p99)}   ratio to one agent alone (first line): p50 ${(t.p50 / baseline.p50).toFixed(2)}x  p99 ${(t.p99 / baseline.p99).toFixed(2)}x`,
    );
  }
  const last = stats(results.at(-1)!.loops.map((l) => l.totalMs));
  console.log(
    `  targets (${results.at(-1)!.label}): p50 < 1000 ms ${last.p50 < 1000 ? 'met' : 'NOT met'}, p99 < 3000 ms ${last.p99 < 3000 ? 'met' : 'NOT met'}`,
  );
  console.log('where the time goes, p50 / p99 (audit events):');
  for (const { label: name, phases: p } of results) {
    console.log(
      `  ${name.padEnd(52)} queue (POST to claim) ${ms(p.queue.p50)} / ${ms(p.queue.p99)}   preview (claim to result) ${ms(p.preview.p50)} / ${ms(p.preview.p99)}   hand-back ${ms(p.handBack.p50)} / ${ms(p.handBack.p99)}`,
    );
  }
  console.log('preview steps, p50 in ms (result.preview.steps):');
  for (const { label: name, steps: st } of results)
    console.log(`  ${name.padEnd(52)} ${[...st].map(([name, v]) => `${name} ${v.toFixed(0)}`).join('  ')}`);
} finally {
  for (const cleanup of cleanups.reverse())
    await cleanup().catch((error: unknown) => console.error('cleanup:', (error as Error).message));
}

/** One agent's loop: propose, then wait on the long poll until awaiting_review. */
async function loop(api: ApiClient): Promise<Loop> {
  const n = seq++;
  const started = performance.now();
  const proposal = await api.propose({
    title: `Feedback ${n}`,
    sql: `alter table orders add column note_${n} text;\ncreate index concurrently orders_note_${n} on orders (note_${n});\n`,
  });
  const outcome = await waitFor(api, proposal.id, { until: 'awaiting_review', timeoutMs: 300_000 });
  if (!outcome.reached)
    throw new Error(
      `proposal ${proposal.id} ended ${outcome.proposal.status}: ${JSON.stringify(outcome.proposal.preview).slice(0, 400)}`,
    );
  return { id: proposal.id, totalMs: performance.now() - started };
}

/** The configuration: the embedded default in a temporary directory, or BENCH_DATABASE_URL with a production of its own. */
async function prepare(): Promise<Config> {
  const config: Config = { ...loadConfig({ env: { SCHEMAGATE_DATA_DIR: dataDir }, cwd: dataDir }), port: 0 };
  if (!serverUrl) return config;
  const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const [plane, production] = [`sg_bench_feedback_${suffix}`, `sg_bench_feedback_prod_${suffix}`];
  const role = `sg_bench_migrator_${suffix}`;
  await withClient(serverUrl, async (admin) => {
    await admin.query(`create database ${quoteIdent(plane)}`);
    await admin.query(`create database ${quoteIdent(production)}`);
  });
  cleanups.push(() =>
    withClient(serverUrl, async (admin) => {
      await dropDatabase(admin, plane);
      await dropDatabase(admin, production);
      await admin.query(`drop role if exists ${quoteIdent(role)}`);
    }),
  );
  await migrateControlPlane(databaseUrl(serverUrl, plane));
  await withClient(databaseUrl(serverUrl, production), (client) => client.query(smallSchema));
  const migrator = await setupProductionRole(databaseUrl(serverUrl, production), { role });
  const configured = {
    ...config,
    databaseUrl: databaseUrl(serverUrl, plane),
    productionUrl: migrator.url,
    previewServerUrl: serverUrl,
  };
  // Registered before any server: the branches are dropped after the last server stopped (cleanups run in reverse).
  const provider = branchProvider(configured)!;
  cleanups.push(() => provider.dropAll());
  return configured;
}

/** serve with the worker's preview concurrency (SCHEMAGATE_PREVIEW_CONCURRENCY; empty: its default). */
async function startServe(config: Config, concurrency: string): Promise<RunningServer> {
  if (concurrency) process.env.SCHEMAGATE_PREVIEW_CONCURRENCY = concurrency;
  else delete process.env.SCHEMAGATE_PREVIEW_CONCURRENCY;
  const server = await serve(config, { log: () => {} });
  if (!serverUrl && !schemaWritten) {
    // The embedded production starts empty: the small schema, written as its migrator.
    await withClient(server.productionUrl!, (client) => client.query(smallSchema));
    schemaWritten = true;
  }
  return server;
}

/** Per loop, from the audit events: POST to claim, claim to result, result to the agent's answer. */
async function phases(pool: pg.Pool, loops: Loop[]) {
  const { rows } = await pool.query<{ id: string; created: Date; claimed: Date; done: Date }>(
    `select p.id, p.created_at as created,
            (select min(created_at) from schemagate.audit_events e where e.proposal_id = p.id and e.type = 'proposal.start_preview') as claimed,
            (select min(created_at) from schemagate.audit_events e where e.proposal_id = p.id and e.type = 'proposal.preview_succeeded') as done
       from schemagate.proposals p where p.id = any($1)`,
    [loops.map((l) => l.id)],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const queue: number[] = [];
  const preview: number[] = [];
  const handBack: number[] = [];
  for (const l of loops) {
    const r = byId.get(l.id)!;
    queue.push(r.claimed.getTime() - r.created.getTime());
    preview.push(r.done.getTime() - r.claimed.getTime());
    // The loop's total minus what the server recorded up to the result: the POST's own time and the answer's way back.
    handBack.push(Math.max(0, l.totalMs - (r.done.getTime() - r.created.getTime())));
  }
  return { queue: stats(queue), preview: stats(preview), handBack: stats(handBack) };
}

/** The preview's own step timings (result.preview.steps), p50 per step name. */
async function steps(pool: pg.Pool, loops: Loop[]): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ name: string; duration: number }>(
    `select step->>'name' as name, (step->>'durationMs')::float8 as duration
       from schemagate.preview_runs r, jsonb_array_elements(r.result->'preview'->'steps') step
      where r.proposal_id = any($1)`,
    [loops.map((l) => l.id)],
  );
  const byName = new Map<string, number[]>();
  for (const r of rows) byName.set(r.name, [...(byName.get(r.name) ?? []), r.duration]);
  return new Map([...byName].map(([name, values]) => [name, stats(values).p50]));
}

function stats(values: number[]): { p50: number; p99: number } {
  return { p50: quantile(values, 0.5)!, p99: quantile(values, 0.99)! };
}

function ms(value: number): string {
  return `${value.toFixed(0).padStart(6)} ms`;
}
