/**
 * Time to build a base copy of a production on another server, in-process
 * (catalog model + COPY through pg-copy-streams, what a Netlify function
 * does) against pg_dump | psql (the baseline), both through copyProduction,
 * in full and sample mode, for 100 tables and ~1 M rows, measured in the same run.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/base-copy.bench.ts
 *
 * Every database it creates is named sg_bench_* and dropped at the end, also on failure.
 */
import { performance } from 'node:perf_hooks';
import { copyProduction, type BaseMode } from '../src/preview/base-copy.ts';
import { pgDumpMajor } from '../src/preview/pg-tools.ts';
import { databaseUrl, dropDatabase, withClient } from '../src/database/server-admin.ts';
import { benchServerUrl as serverUrl, scratchDatabases } from './bench-databases.ts';
import { median } from './stats.ts';

const databases = scratchDatabases();
const tableCount = 100;
const rowsPerTable = Number(process.env.BENCH_ROWS_PER_TABLE ?? 10_000);
const runs = 3;

// Production on "another server": the same server under another host name, so nothing takes the TEMPLATE shortcut.
function remote(url: string): string {
  const u = new URL(url);
  u.hostname = u.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  return u.toString();
}

async function main(): Promise<void> {
  const production = await databases.create('production');
  await withClient(databaseUrl(serverUrl, production), async (c) => {
    await c.query('create table accounts (id bigint generated always as identity primary key, name text not null)');
    await c.query(`insert into accounts (name) select 'a' || g from generate_series(1, ${rowsPerTable}) g`);
    for (let i = 0; i < tableCount; i++) {
      await c.query(
        `create table t${i} (id bigint generated always as identity primary key, account_id bigint not null references accounts, body text, at timestamptz default now())`,
      );
      await c.query(`create index on t${i} (account_id)`);
      await c.query(
        `insert into t${i} (account_id, body) select 1 + g % ${rowsPerTable}, md5(g::text) from generate_series(1, ${rowsPerTable}) g`,
      );
    }
    await c.query('vacuum analyze');
  });
  const productionUrl = remote(databaseUrl(serverUrl, production));
  const dump = await pgDumpMajor({});
  console.log(
    `${tableCount + 1} tables, ${(tableCount + 1) * rowsPerTable} rows; pg_dump ${dump ?? 'not found'}; median of ${runs} runs`,
  );
  for (const mode of ['full', 'sample'] as BaseMode[]) {
    const times: Record<'pg_dump' | 'in-process', number[]> = { pg_dump: [], 'in-process': [] };
    for (let i = 0; i < runs; i++) {
      for (const method of ['pg_dump', 'in-process'] as const) {
        if (method === 'pg_dump' && dump === null) continue;
        const base = await databases.create(`${mode}_${method.replace('-', '_')}_${i}`);
        const started = performance.now();
        await copyProduction({
          productionUrl,
          baseUrl: databaseUrl(serverUrl, base),
          mode,
          sampleRows: 1000,
          tools: { copyMethod: method },
        });
        times[method].push(performance.now() - started);
        await withClient(serverUrl, (admin) => dropDatabase(admin, base));
      }
    }
    const inProcess = median(times['in-process']);
    const baseline = times.pg_dump.length > 0 ? median(times.pg_dump) : undefined;
    console.log(
      `${mode.padEnd(6)} in-process ${inProcess.toFixed(0)} ms` +
        (baseline
          ? `, pg_dump | psql ${baseline.toFixed(0)} ms: in-process takes ${(inProcess / baseline).toFixed(2)}x the time of pg_dump`
          : ''),
    );
  }
}

try {
  await main();
} finally {
  await databases.dropAll();
}
