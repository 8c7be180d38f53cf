/**
 * Cost of the preview's workload check per captured query, against a plain
 * PREPARE loop of the same queries on the same connection kind, in the same run:
 * - screen: the parser check alone (one SELECT/INSERT/UPDATE/DELETE, relations);
 * - inspect: one side (PREPARE + EXPLAIN EXECUTE in a read-only transaction, as the preview role);
 * - check: checkWorkload, both sides (the migrated branch and its twin) and the comparison;
 * and, once per preview, the twin branch (provider.create + drop) against a plain CREATE DATABASE ... TEMPLATE.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/workload.bench.ts
 *
 * Databases are named sg_bench_* and dropped at the end, also on failure.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { executeOne } from '../src/database/statement-session.ts';
import { createPostgresBranchProvider } from '../src/preview/postgres-branch-provider.ts';
import { ensurePreviewRole, previewRole, transferOwnership } from '../src/preview/preview-role.ts';
import { cloneDatabase, databaseUrl, dropDatabase, quoteIdent, withClient } from '../src/database/server-admin.ts';
import { checkWorkload } from '../src/preview/workload-compat.ts';
import { inspectBranch } from '../src/preview/workload-plans.ts';
import { screenStatement } from '../src/preview/workload-screen.ts';
import type { WorkloadStatement } from '../src/preview/workload-source.ts';
import { median, timed } from './stats.ts';

const serverUrl =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const queryCount = Number(process.env.BENCH_QUERIES ?? 200);
const rounds = 5;
const run = randomBytes(3).toString('hex');
const created: string[] = [];
const options = { statementTimeoutMs: 5000, lockTimeoutMs: 1000, costFactor: 10, largeTableRows: 1_000_000 };

/** 20 tables with rows, an index each, owned by the preview role: a branch as the provider hands it out. */
async function branch(suffix: string): Promise<{ adminUrl: string; url: string }> {
  const name = `sg_bench_${run}_${suffix}`;
  created.push(name);
  const runner = await withClient(serverUrl, async (admin) => {
    await admin.query(`create database ${quoteIdent(name)} template template0`);
    const credentials = await ensurePreviewRole(admin, serverUrl);
    await admin.query(`alter database ${quoteIdent(name)} owner to ${previewRole}`);
    return credentials;
  });
  const adminUrl = databaseUrl(serverUrl, name);
  await withClient(adminUrl, async (client) => {
    for (let i = 0; i < 20; i++) {
      await client.query(`create table t${i} (id bigint generated always as identity primary key, owner bigint not null, email text not null, note text, created_at timestamptz not null default now());
        insert into t${i} (owner, email) select g % 100, 'u' || g from generate_series(1, 2000) g;
        create index t${i}_email on t${i} (email);`);
    }
    await client.query('analyze');
    await transferOwnership(client, previewRole);
  });
  return { adminUrl, url: databaseUrl(serverUrl, name, runner) };
}

/** A mix of what pg_stat_statements holds for a web application: lookups, joins, writes. */
function workload(): WorkloadStatement[] {
  const shapes = [
    (i: number) => `select id, email, note from t${i} where email = $1`,
    (i: number) =>
      `select a.id, b.email from t${i} a join t${(i + 1) % 20} b on b.owner = a.owner where a.id = $1 order by b.created_at desc limit $2`,
    (i: number) => `insert into t${i} (owner, email, note) values ($1, $2, $3) returning id`,
    (i: number) => `update t${i} set note = $1 where id = $2`,
    (i: number) =>
      `with recent as (select owner, count(*) as n from t${i} where created_at > $1 group by owner) select * from recent where n > $2`,
  ];
  return Array.from({ length: queryCount }, (_, n) => ({
    id: String(n),
    query: `${shapes[n % shapes.length]!(Math.floor(n / shapes.length) % 20)} /* q${n} */`,
    calls: queryCount - n,
  }));
}

/** The baseline: PREPARE each query on one connection as the preview role, nothing else. */
async function plainPrepare(url: string, statements: WorkloadStatement[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    for (const [i, s] of statements.entries()) await executeOne(client, `prepare p${i} as ${s.query}`);
    await client.query('rollback; deallocate all');
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const version = await withClient(
    serverUrl,
    async (admin) => (await admin.query('show server_version')).rows[0].server_version,
  );
  const [before, after] = [await branch('before'), await branch('after')];
  await withClient(after.adminUrl, (c) => c.query('drop index t3_email; alter table t5 drop column note'));
  const statements = workload();
  const screenable = statements.map((s) => ({
    query: s.query,
    params: screenStatement(s.query).ok ? (screenStatement(s.query) as { params: number }).params : 0,
  }));

  // Warm-up: parser module, connections, catalog caches.
  await plainPrepare(before.url, statements);
  await checkWorkload({
    workload: { source: 'file', statements },
    afterUrl: after.url,
    beforeUrl: before.url,
    options,
  });

  const results = { prepare: [] as number[], screen: [] as number[], inspect: [] as number[], check: [] as number[] };
  let issues = 0;
  for (let r = 0; r < rounds; r++) {
    results.prepare.push(await timed(() => plainPrepare(before.url, statements)));
    results.screen.push(await timed(() => statements.forEach((s) => screenStatement(s.query))));
    results.inspect.push(await timed(() => inspectBranch(before.url, screenable, [], options)));
    results.check.push(
      await timed(
        async () =>
          (issues = (
            await checkWorkload({
              workload: { source: 'file', statements },
              afterUrl: after.url,
              beforeUrl: before.url,
              options,
            })
          ).issues.length),
      ),
    );
  }
  const base = median(results.prepare);
  console.log(
    `PostgreSQL ${version}, ${queryCount} captured queries, median of ${rounds} rounds (${issues} issues found per check)\n`,
  );
  for (const [label, values] of Object.entries(results)) {
    const total = median(values);
    console.log(
      `${label.padEnd(8)} ${total.toFixed(1).padStart(8)} ms total  ${(total / queryCount).toFixed(3).padStart(7)} ms/query  => ${(total / base).toFixed(2)}x plain PREPARE`,
    );
  }
  await twinCost(before.adminUrl);
}

/** The twin branch a preview creates for the comparison, against the bare clone it is built on. */
async function twinCost(productionUrl: string): Promise<void> {
  const provider = createPostgresBranchProvider({ productionUrl, previewServerUrl: serverUrl, baseMode: 'full' });
  try {
    const base = (await provider.refreshBase()).name;
    const [twins, clones]: [number[], number[]] = [[], []];
    for (let r = 0; r < rounds; r++) {
      twins.push(await timed(async () => provider.drop((await provider.create(`bench_${run}_${r}_before`)).name)));
      const name = `sg_bench_${run}_clone${r}`;
      created.push(name);
      clones.push(
        await timed(() =>
          withClient(serverUrl, async (admin) => {
            await cloneDatabase(admin, name, { template: base });
            await dropDatabase(admin, name);
          }),
        ),
      );
    }
    const [twin, clone] = [median(twins), median(clones)];
    console.log(
      `\ntwin branch per preview ${twin.toFixed(1)} ms (create + drop)  bare TEMPLATE clone + drop ${clone.toFixed(1)} ms  => ${(twin / clone).toFixed(2)}x`,
    );
  } finally {
    await provider.dropAll();
  }
}

try {
  await main();
} finally {
  await withClient(serverUrl, async (admin) => {
    for (const name of created) await dropDatabase(admin, name);
  });
}
