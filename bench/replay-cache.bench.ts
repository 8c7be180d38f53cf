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
 * and the replays of its histories) is dropped at the end, also on failure.
 */
import { randomBytes } from 'node:crypto';
import { createPostgresBranchProvider, type PostgresBranchProvider } from '../src/preview/postgres-branch-provider.ts';
import { applyMigration } from '../src/preview/apply.ts';
import { runPreview, type PreviewResult } from '../src/preview/preview.ts';
import { historyKeys, replayPrefix } from '../src/preview/replay-template.ts';
import { syntheticHistory } from './synthetic-history.ts';
import {
  cloneDatabase,
  databasesWithPrefix,
  databaseUrl,
  dropDatabase,
  quoteIdent,
  withClient,
} from '../src/database/server-admin.ts';
import { median, timed, timedValue } from './stats.ts';

const serverUrl =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const sizes = (process.argv[2] ?? '10,150,500').split(',').map(Number);
const run = randomBytes(3).toString('hex');
const proposal = 'alter table t0 add column note text;';
const options = { lockTimeoutMs: 2000, statementTimeoutMs: 60_000 };
const providers: PostgresBranchProvider[] = [];
const runs = 7;
const histories: Array<Array<{ name: string; sql: string }>> = [];

/** The baseline: what a preview cannot avoid doing, a template clone of the base and the apply. */
async function rawClone(base: string, i: number): Promise<number> {
  const name = `sg_bench_${run}_raw${i}`;
  try {
    return await timed(async () => {
      await withClient(serverUrl, (admin) => cloneDatabase(admin, name, { template: base }));
      await withClient(databaseUrl(serverUrl, name), (client) => client.query(proposal));
    });
  } finally {
    await withClient(serverUrl, (admin) => dropDatabase(admin, name));
  }
}

async function preview(
  provider: PostgresBranchProvider,
  history: Array<{ name: string; sql: string }>,
  i: number,
): Promise<{ ms: number; result: PreviewResult }> {
  const { ms, value } = await timedValue(() =>
    runPreview({ provider, branchName: `sg_preview_bench_${run}_${i}`, sql: proposal, history, options }),
  );
  if (!value.ok) throw new Error(`preview failed: ${JSON.stringify(value.steps.filter((s) => !s.ok))}`);
  return { ms, result: value };
}

const replayStep = (result: PreviewResult) => result.steps.find((s) => s.name === 'replay')?.durationMs ?? Number.NaN;

/** What every preview did before the cache: the whole history, measured statement by statement, on a new empty database. */
async function uncachedReplay(history: Array<{ name: string; sql: string }>): Promise<number> {
  const name = `sg_bench_${run}_uncached`;
  try {
    return await timed(async () => {
      await withClient(serverUrl, (admin) => admin.query(`create database ${quoteIdent(name)} template template0`));
      for (const migration of history) {
        const apply = await applyMigration(databaseUrl(serverUrl, name), migration.sql, {
          ...options,
          allowSuperuser: true,
        });
        if (!apply.ok) throw new Error(`${migration.name}: ${apply.error?.message}`);
      }
    });
  } finally {
    await withClient(serverUrl, (admin) => dropDatabase(admin, name));
  }
}

const stepTimes = (result: PreviewResult) => result.steps.map((s) => `${s.name} ${s.durationMs.toFixed(0)}`).join(', ');

async function measure(count: number): Promise<void> {
  // A history of its own per size and run, so that the cold preview finds nothing cached.
  const history = syntheticHistory(count).map((m, i) =>
    i === 0 ? { ...m, sql: `${m.sql}\ncomment on schema public is 'bench ${run} ${count}';` } : m,
  );
  const production = `sg_bench_${run}_prod${count}`;
  await withClient(serverUrl, (admin) => admin.query(`create database ${quoteIdent(production)} template template0`));
  await withClient(databaseUrl(serverUrl, production), async (client) => {
    for (const migration of history) await client.query(migration.sql);
    await client.query(`insert into t0 (name) select 'n' || g from generate_series(1, 5000) g`);
  });
  const provider = createPostgresBranchProvider({
    productionUrl: databaseUrl(serverUrl, production),
    previewServerUrl: serverUrl,
    baseMode: 'sample',
  });
  providers.push(provider);
  const base = await provider.refreshBase();

  histories.push(history);
  const uncached = await uncachedReplay(history);
  const cold = await preview(provider, history, 0);
  const raw: number[] = [];
  const warm: number[] = [];
  let last = cold.result;
  for (let i = 1; i <= runs; i++) {
    raw.push(await rawClone(base.name, i));
    const warmRun = await preview(provider, history, i);
    warm.push(warmRun.ms);
    last = warmRun.result;
  }
  const [rawMs, warmMs] = [median(raw), median(warm)];
  console.log(
    `${String(count).padStart(4)} migrations  raw clone+apply ${rawMs.toFixed(0).padStart(5)} ms` +
      `  warm preview ${warmMs.toFixed(0).padStart(5)} ms (${(warmMs / rawMs).toFixed(2)}x, median of ${runs})` +
      `  cold preview ${cold.ms.toFixed(0).padStart(6)} ms (${(cold.ms / rawMs).toFixed(1)}x)` +
      `  uncached replay as before ${uncached.toFixed(0).padStart(6)} ms (cold replay step / it = ${(replayStep(cold.result) / uncached).toFixed(2)}x)`,
  );
  console.log(
    `      cold steps: ${stepTimes(cold.result)}${cold.result.replay?.cache ? ` [replay cache ${cold.result.replay.cache}]` : ''}`,
  );
  console.log(
    `      warm steps: ${stepTimes(last)}${last.replay?.cache ? ` [replay cache ${last.replay.cache}]` : ''}`,
  );
}

async function cleanup(): Promise<void> {
  for (const provider of providers) await provider.dropAll().catch(() => {});
  await withClient(serverUrl, async (admin) => {
    for (const db of await databasesWithPrefix(admin, `sg_bench_${run}_`)) await dropDatabase(admin, db.name);
    const version = Number((await admin.query(`select current_setting('server_version_num') as v`)).rows[0].v);
    for (const history of histories) {
      const template = `${replayPrefix}${historyKeys(history, version).at(-1)!.slice(0, 24)}`;
      for (const name of [`${template}_w`, template]) await dropDatabase(admin, name);
    }
  });
}

try {
  const version = await withClient(
    serverUrl,
    async (admin) => (await admin.query('show server_version')).rows[0].server_version,
  );
  console.log(`PostgreSQL ${version}; proposal: ${proposal}\n`);
  for (const count of sizes) await measure(count);
} finally {
  await cleanup();
}
