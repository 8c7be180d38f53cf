// Prints what PUBLIC may not do in a Postgres server's catalog: the data behind
// src/sql/rules/catalog-privileges.ts and src/sql/rules/builtin-names.ts. Run it against each supported major and merge:
//   node scripts/list-catalog-privileges.ts postgres://postgres@127.0.0.1:5432/postgres
import pg from 'pg';

const url = process.argv[2];
if (!url) {
  console.error('usage: node scripts/list-catalog-privileges.ts <postgres-url>');
  process.exit(2);
}
const client = new pg.Client({ connectionString: url });
await client.connect();
const list = async (sql: string) => (await client.query<{ name: string }>(sql)).rows.map((r) => r.name);
const result = {
  server: (await client.query<{ v: string }>('show server_version')).rows[0]!.v,
  // Functions PUBLIC may not execute: only superusers or granted roles can call them.
  functions: await list(`select distinct proname as name from pg_proc p
    where pronamespace = 'pg_catalog'::regnamespace and not has_function_privilege('public', p.oid, 'execute') order by 1`),
  // Relations PUBLIC may not read (wholly or some columns).
  relations: await list(`select distinct relname as name from pg_class c
    where relnamespace in ('pg_catalog'::regnamespace, 'information_schema'::regnamespace) and relkind in ('r', 'v', 'm', 'p')
      and (not has_table_privilege('public', c.oid, 'select')
        or exists (select from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                   and not has_column_privilege('public', c.oid, a.attnum, 'select'))) order by 1`),
  // Every built-in function and operator name: a routine of the same name elsewhere can win overload resolution.
  builtinFunctions: await list(`select distinct proname as name from pg_proc where pronamespace = 'pg_catalog'::regnamespace order by 1`),
  builtinOperators: await list(`select distinct oprname as name from pg_operator where oprnamespace = 'pg_catalog'::regnamespace order by 1`),
  // Settings an ordinary role may change in its own session.
  userSettings: await list(`select lower(name) as name from pg_settings where context = 'user' order by 1`),
};
await client.end();
console.log(JSON.stringify(result, null, 2));
