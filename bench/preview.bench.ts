/**
 * Time to create a preview database: `CREATE DATABASE ... TEMPLATE base STRATEGY FILE_COPY`
 * (what the postgres branch provider does) against `pg_dump | psql` of the same database,
 * for a 300-table schema and for ~400 MB of data, measured in the same run.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/preview.bench.ts
 *
 * Every database it creates is named sg_bench_* and dropped at the end, also on failure.
 */
import { dumpInto } from '../src/preview/pg-tools.ts';
import { cloneDatabase, databaseUrl, dropDatabase, quoteIdent, withClient } from '../src/database/server-admin.ts';
import { benchServerUrl as serverUrl, scratchDatabases } from './bench-databases.ts';
import { median, timed, timedValue } from './stats.ts';

const databases = scratchDatabases();
const tableCount = 300;
const dataRows = Number(process.env.BENCH_ROWS ?? 2_800_000);

async function compare(label: string, source: string, cloneRuns: number, dumpRuns: number): Promise<void> {
  const size = await withClient(
    serverUrl,
    async (admin) => (await admin.query('select pg_size_pretty(pg_database_size($1)) as s', [source])).rows[0].s,
  );
  const clones: number[] = [];
  const walLog: number[] = [];
  for (let i = 0; i < cloneRuns; i++) {
    const name = databases.track(`${label}_clone${i}`);
    clones.push(await timed(() => withClient(serverUrl, (admin) => cloneDatabase(admin, name, { template: source }))));
    await withClient(serverUrl, (admin) => dropDatabase(admin, name));
  }
  // The default strategy since PG 15, for reference: it writes the whole copy to WAL.
  const walName = databases.track(`${label}_wal`);
  walLog.push(
    await timed(() =>
      withClient(serverUrl, (admin) =>
        admin.query(`create database ${quoteIdent(walName)} template ${quoteIdent(source)} strategy wal_log`),
      ).then(() => {}),
    ),
  );
  await withClient(serverUrl, (admin) => dropDatabase(admin, walName));
  const dumps: number[] = [];
  for (let i = 0; i < dumpRuns; i++) {
    const dump = await timedValue(async () => {
      const target = await databases.create(`${label}_dump${i}`);
      await dumpInto({}, databaseUrl(serverUrl, source), databaseUrl(serverUrl, target), []);
      return target;
    });
    dumps.push(dump.ms);
    await withClient(serverUrl, (admin) => dropDatabase(admin, dump.value));
  }
  const [clone, wal, dump] = [median(clones), median(walLog), median(dumps)];
  console.log(
    `${label.padEnd(10)} ${String(size).padStart(8)}  template FILE_COPY ${clone.toFixed(0).padStart(6)} ms (median of ${cloneRuns})` +
      `  WAL_LOG ${wal.toFixed(0).padStart(6)} ms  pg_dump|psql ${dump.toFixed(0).padStart(7)} ms (median of ${dumpRuns})` +
      `  => pg_dump|psql / template = ${(dump / clone).toFixed(1)}x`,
  );
}

async function main(): Promise<void> {
  const version = await withClient(
    serverUrl,
    async (admin) => (await admin.query('show server_version')).rows[0].server_version,
  );
  console.log(`PostgreSQL ${version}, ${tableCount} tables / ${dataRows} rows\n`);

  const schema = await databases.create('schema');
  await withClient(databaseUrl(serverUrl, schema), async (client) => {
    const ddl: string[] = [];
    for (let i = 0; i < tableCount; i++) {
      ddl.push(
        `create table t${i} (id bigint generated always as identity primary key, name text not null, email varchar(200), parent bigint${i > 0 ? ` references t${i - 1}` : ''}, created_at timestamptz not null default now());`,
      );
      ddl.push(`create index t${i}_name on t${i} (name);`);
    }
    await client.query(ddl.join('\n'));
  });
  await compare('schema', schema, 5, 3);

  const data = await databases.create('data');
  await withClient(databaseUrl(serverUrl, data), async (client) => {
    await client.query(
      `create table events (id bigint primary key, account int not null, kind text not null, payload text, at timestamptz not null)`,
    );
    await client.query(
      `insert into events select g, g % 5000, 'kind_' || (g % 17), md5(g::text) || md5((g * 7)::text), timestamptz '2024-01-01' + g * interval '1 second' from generate_series(1, $1) g`,
      [dataRows],
    );
    await client.query('vacuum analyze events');
  });
  await compare('data', data, 3, 1);
}

try {
  await main();
} finally {
  await databases.dropAll();
}
