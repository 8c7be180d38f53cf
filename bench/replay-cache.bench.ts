/**
 * Preview time of a one-statement proposal as the history grows, against a
 * raw `CREATE DATABASE ... TEMPLATE base` plus the same apply, measured in the
 * same run: cold (no replay cached) and warm (the history's replay cached),
 * at 10, 150 and 500 migrations of tables, indexes, enums, foreign keys,
 * functions and views.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/replay-cache.bench.ts [10,150,500]
 *
 * Every database it creates (sg_bench_*, and the provider's sg_base_*, sg_preview_*,
 * sg_replay_*) is dropped at the end, also on failure.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createPostgresBranchProvider, type PostgresBranchProvider } from '../src/preview/postgres-branch-provider.ts';
import { runPreview, type PreviewResult } from '../src/preview/preview.ts';
import { cloneDatabase, databasesWithPrefix, databaseUrl, dropDatabase, quoteIdent, withClient } from '../src/preview/server-admin.ts';

const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const sizes = (process.argv[2] ?? '10,150,500').split(',').map(Number);
const run = randomBytes(3).toString('hex');
const proposal = 'alter table t0 add column note text;';
const options = { lockTimeoutMs: 2000, statementTimeoutMs: 60_000 };
const providers: PostgresBranchProvider[] = [];

/** A history that looks like a real application's: mostly tables and indexes, some enums, functions, views and column changes. */
export function syntheticHistory(count: number): Array<{ name: string; sql: string }> {
  const history: Array<{ name: string; sql: string }> = [];
  let tables = 0;
  for (let i = 0; i < count; i++) {
    const t = Math.max(tables - 1, 0);
    let sql: string;
    switch (i % 8) {
      case 0:
      case 4:
        sql = `create table t${tables} (id bigint generated always as identity primary key, name text not null, created_at timestamptz not null default now()${tables > 0 ? `, parent_id bigint references t${tables - 1} (id)` : ''});`;
        tables++;
        break;
      case 1:
        sql = `create index t${t}_name_${i} on t${t} (name);`;
        break;
      case 2:
        sql = `create type status_${i} as enum ('new', 'active', 'closed');\nalter table t${t} add column status_${i} status_${i} not null default 'new';`;
        break;
      case 3:
        sql = `create or replace function touch_${i}() returns trigger language plpgsql as $$ begin new.created_at := now(); return new; end $$;\ncreate trigger t${t}_touch_${i} before update on t${t} for each row execute function touch_${i}();`;
        break;
      case 5:
        sql = `alter table t${t} add column amount_${i} numeric(12, 2);\nalter table t${t} add constraint t${t}_amount_${i}_positive check (amount_${i} >= 0);`;
        break;
      case 6:
        sql = `create view v_${i} as select id, name from t${t} where name <> '';`;
        break;
      default:
        sql = `comment on table t${t} is 'table ${t}, migration ${i}';\ncreate unique index t${t}_name_created_${i} on t${t} (name, created_at);`;
    }
    history.push({ name: `${String(i).padStart(4, '0')}_step`, sql });
  }
  return history;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

/** The baseline: what a preview cannot avoid doing, a template clone of the base and the apply. */
async function rawClone(base: string, i: number): Promise<number> {
  const name = `sg_bench_${run}_raw${i}`;
  try {
    return (
      await timed(async () => {
        await withClient(serverUrl, (admin) => cloneDatabase(admin, name, { template: base }));
        await withClient(databaseUrl(serverUrl, name), (client) => client.query(proposal));
      })
    ).ms;
  } finally {
    await withClient(serverUrl, (admin) => dropDatabase(admin, name));
  }
}

async function preview(provider: PostgresBranchProvider, history: Array<{ name: string; sql: string }>, i: number): Promise<{ ms: number; result: PreviewResult }> {
  const { ms, value } = await timed(() => runPreview({ provider, branchName: `sg_preview_bench_${run}_${i}`, sql: proposal, history, options }));
  if (!value.ok) throw new Error(`preview failed: ${JSON.stringify(value.steps.filter((s) => !s.ok))}`);
  return { ms, result: value };
}

const stepTimes = (result: PreviewResult) => result.steps.map((s) => `${s.name} ${s.durationMs.toFixed(0)}`).join(', ');

async function measure(count: number): Promise<void> {
  const history = syntheticHistory(count);
  const production = `sg_bench_${run}_prod${count}`;
  await withClient(serverUrl, (admin) => admin.query(`create database ${quoteIdent(production)} template template0`));
  await withClient(databaseUrl(serverUrl, production), async (client) => {
    for (const migration of history) await client.query(migration.sql);
    await client.query(`insert into t0 (name) select 'n' || g from generate_series(1, 5000) g`);
  });
  const provider = createPostgresBranchProvider({ productionUrl: databaseUrl(serverUrl, production), previewServerUrl: serverUrl, baseMode: 'sample' });
  providers.push(provider);
  const base = await provider.refreshBase();

  const cold = await preview(provider, history, 0);
  const raw: number[] = [];
  const warm: number[] = [];
  let last = cold.result;
  for (let i = 1; i <= 5; i++) {
    raw.push(await rawClone(base.name, i));
    const warmRun = await preview(provider, history, i);
    warm.push(warmRun.ms);
    last = warmRun.result;
  }
  const [rawMs, warmMs] = [median(raw), median(warm)];
  console.log(
    `${String(count).padStart(4)} migrations  raw clone+apply ${rawMs.toFixed(0).padStart(5)} ms` +
      `  cold preview ${cold.ms.toFixed(0).padStart(6)} ms (${(cold.ms / rawMs).toFixed(1)}x)` +
      `  warm preview ${warmMs.toFixed(0).padStart(5)} ms (${(warmMs / rawMs).toFixed(2)}x, median of 5)`,
  );
  console.log(`      cold steps: ${stepTimes(cold.result)}${cold.result.replay?.cache ? ` [replay cache ${cold.result.replay.cache}]` : ''}`);
  console.log(`      warm steps: ${stepTimes(last)}${last.replay?.cache ? ` [replay cache ${last.replay.cache}]` : ''}`);
}

async function cleanup(): Promise<void> {
  for (const provider of providers) await provider.dropAll().catch(() => {});
  await withClient(serverUrl, async (admin) => {
    for (const prefix of [`sg_bench_${run}_`, 'sg_replay_']) {
      for (const db of await databasesWithPrefix(admin, prefix)) await dropDatabase(admin, db.name);
    }
  });
}

try {
  const version = await withClient(serverUrl, async (admin) => (await admin.query('show server_version')).rows[0].server_version);
  console.log(`PostgreSQL ${version}; proposal: ${proposal}\n`);
  for (const count of sizes) await measure(count);
} finally {
  await cleanup();
}
