/**
 * What a migration that needs ACCESS EXCLUSIVE does to production's short
 * queries while a long transaction holds a lock on the table: promoted by
 * schemagate (lock_timeout, retried with backoff) against a plain `psql -f` of
 * the same file (waits in the lock queue, and every query on the table queues
 * behind it), measured in the same run.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/promotion.bench.ts
 *
 * Workload: 4 clients, each alternating `select` and `update` by primary key in
 * a loop. Blocker: a transaction that read the table and stays open for
 * BENCH_BLOCKER_MS (default 6000). Every database it creates is named
 * sg_bench_* and dropped at the end, also on failure.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { previewRuns, promotions, proposalRevisions, proposals } from '../db/schema.ts';
import { createAgent } from '../src/agents/agents.ts';
import { openDatabase } from '../src/database/connection.ts';
import { migrateControlPlane } from '../src/database/migrate.ts';
import { readProductionHead } from '../src/preview/production-head.ts';
import { databaseUrl, quoteIdent, withClient } from '../src/database/server-admin.ts';
import { setupProductionRole } from '../src/promote/production-role.ts';
import { processNextPromotion } from '../src/promote/promotion-worker.ts';
import { quantile } from './stats.ts';

const serverUrl =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const blockerMs = Number(process.env.BENCH_BLOCKER_MS ?? 6000);
const lockTimeouts = (process.env.BENCH_LOCK_TIMEOUTS_MS ?? '2000,500').split(',').map(Number);
const clients = 4;
const migration = 'alter table t add column c int;\n';
const run = randomBytes(3).toString('hex');
const created: string[] = [];
// Promotions run as a migrator, as \`schemagate production setup\` leaves it; dropped at the end.
const migrator = `sg_bench_${run}_migrator`;
const migratorPassword = randomBytes(18).toString('base64url');

interface Sample {
  start: number;
  ms: number;
}

async function newDatabase(suffix: string, template = 'template0'): Promise<string> {
  const name = `sg_bench_${run}_${suffix}`;
  created.push(name);
  await withClient(serverUrl, (admin) =>
    admin.query(`create database ${quoteIdent(name)} template ${quoteIdent(template)}`),
  );
  return databaseUrl(serverUrl, name);
}

/** Short primary-key queries in a loop on `clients` connections until `stop()`. */
async function startWorkload(url: string) {
  const samples: Sample[] = [];
  let running = true;
  const loops = await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => {});
      await client.connect();
      // Wrapped: an async function returning the loop's promise would wait for the loop to end.
      return {
        done: (async () => {
          for (let i = 0; running; i++) {
            const id = ((i * clients + c) % 10_000) + 1;
            const start = performance.now();
            await client.query(i % 2 ? 'select v from t where id = $1' : 'update t set v = v + 1 where id = $1', [id]);
            samples.push({ start, ms: performance.now() - start });
          }
          await client.end();
        })(),
      };
    }),
  );
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops.map((l) => l.done));
      return samples;
    },
  };
}

/** A transaction that read `t` (ACCESS SHARE) and stays open for `blockerMs`. */
async function startBlocker(url: string): Promise<{ done: Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  await client.query('begin; select count(*) from t;');
  const done = (async () => {
    await new Promise((resolve) => setTimeout(resolve, blockerMs));
    await client.query('commit');
    await client.end();
  })();
  return { done };
}

function stats(samples: Sample[], from: number, to: number) {
  const during = samples.filter((s) => s.start >= from && s.start <= to).map((s) => s.ms);
  return { queries: during.length, max: quantile(during, 1) ?? 0, p99: quantile(during, 0.99) ?? 0 };
}

/** Runs `promotion` against a fresh production under the workload and the blocker; returns the production queries' latencies during it. */
async function measure(
  label: string,
  work: (productionUrl: string) => Promise<string>,
  prepare?: (productionUrl: string) => Promise<void>,
) {
  const productionUrl = await newDatabase(label, `sg_bench_${run}_base`);
  await prepare?.(productionUrl);
  const load = await startWorkload(productionUrl);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const blocker = await startBlocker(productionUrl);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const from = performance.now();
  const detail = await work(productionUrl);
  const to = performance.now();
  await blocker.done;
  const samples = await load.stop();
  const added = await withClient(
    productionUrl,
    async (c) =>
      (await c.query(`select count(*)::int as n from pg_attribute where attrelid = 't'::regclass and attname = 'c'`))
        .rows[0].n,
  );
  return { label, ...stats(samples, from, to), durationMs: to - from, applied: added === 1, detail };
}

async function viaSchemagate(controlUrl: string, lockTimeoutMs: number) {
  const { db, close } = openDatabase(controlUrl, { max: 4 });
  try {
    let migratorUrl = '';
    const prepare = async (productionUrl: string) => {
      migratorUrl = (await setupProductionRole(productionUrl, { role: migrator, password: migratorPassword })).url;
      // An approved proposal whose preview started from production as it is now.
      const head = await withClient(productionUrl, async (c) => (await readProductionHead(c)).head);
      const sha256 = createHash('sha256').update(migration).digest('hex');
      const { agent } = await db.transaction((tx) =>
        createAgent(tx, { name: `bench-${lockTimeoutMs}`, scopes: ['propose', 'read'] }),
      );
      const [proposal] = await db
        .insert(proposals)
        .values({
          agentId: agent.id,
          title: 'add c',
          name: `add_c_${lockTimeoutMs}`,
          status: 'approved',
          currentRevision: 1,
        })
        .returning({ id: proposals.id });
      const proposalId = proposal!.id;
      await db.insert(proposalRevisions).values({ proposalId, number: 1, sql: migration, sha256 });
      await db
        .insert(previewRuns)
        .values({ proposalId, revision: 1, status: 'succeeded', productionHead: head, finishedAt: new Date() });
      await db.insert(promotions).values({ proposalId, revision: 1, sha256, status: 'queued' });
    };
    return await measure(
      `sg${lockTimeoutMs}`,
      async () => {
        const result = await processNextPromotion({
          db,
          productionUrl: migratorUrl,
          timeouts: { lockTimeoutMs, statementTimeoutMs: 60_000 },
          worker: 'bench',
          leaseMs: 60_000,
          lockRetry: { maxAttempts: 50 },
        });
        return `${result?.outcome}, ${result?.lockRetries} lock timeouts retried`;
      },
      prepare,
    );
  } finally {
    await close();
  }
}

async function viaPsql(dir: string) {
  const file = path.join(dir, 'add_c.sql');
  await writeFile(file, migration);
  return measure('psql', async (productionUrl) => {
    const code = await new Promise<number | null>((resolve) => {
      spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', productionUrl, '-f', file], { stdio: 'inherit' }).once(
        'exit',
        resolve,
      );
    });
    return `psql exit ${code}`;
  });
}

const dir = await mkdtemp(path.join(tmpdir(), 'sg-bench-promotion-'));
try {
  const base = await newDatabase('base');
  await withClient(base, (c) =>
    c.query(
      'create table t (id int primary key, v int not null); insert into t select g, 0 from generate_series(1, 10000) g; analyze t;',
    ),
  );
  const controlUrl = await newDatabase('control');
  await migrateControlPlane(controlUrl);

  const rows = [];
  const plain = await viaPsql(dir);
  for (const lockTimeoutMs of lockTimeouts)
    rows.push({ ...(await viaSchemagate(controlUrl, lockTimeoutMs)), lockTimeoutMs });

  const fmt = (ms: number) => `${ms.toFixed(1)} ms`.padStart(10);
  console.log(
    `\nProduction query latency while \`${migration.trim()}\` is applied; a transaction holds ACCESS SHARE on t for ${blockerMs} ms; ${clients} clients.\n`,
  );
  console.log(
    `${'how'.padEnd(34)}${'queries'.padStart(8)}${'max'.padStart(10)}${'p99'.padStart(10)}${'duration'.padStart(12)}  applied  detail`,
  );
  for (const r of [
    { ...plain, how: 'psql -f (no lock_timeout)' },
    ...rows.map((r) => ({ ...r, how: `schemagate, lock_timeout ${r.lockTimeoutMs} ms` })),
  ]) {
    const how = r.how;
    console.log(
      `${how.padEnd(34)}${String(r.queries).padStart(8)}${fmt(r.max)}${fmt(r.p99)}${fmt(r.durationMs).padStart(12)}  ${String(r.applied).padEnd(7)}  ${r.detail}`,
    );
  }
  console.log('');
  for (const r of rows) {
    console.log(
      `lock_timeout ${r.lockTimeoutMs} ms: max latency ${(plain.max / r.max).toFixed(1)}x lower than psql -f, p99 ${(plain.p99 / r.p99).toFixed(1)}x lower`,
    );
  }
} finally {
  await withClient(serverUrl, async (admin) => {
    for (const name of created.reverse()) await admin.query(`drop database if exists ${quoteIdent(name)} with (force)`);
    await admin.query(`drop role if exists ${quoteIdent(migrator)}`);
  });
  await rm(dir, { recursive: true, force: true });
}
