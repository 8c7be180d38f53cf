import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { builtinFunctions, builtinOperators } from '../../src/sql/rules/builtin-names.ts';
import { privilegedFunctions, secretRelations, userSettings } from '../../src/sql/rules/catalog-privileges.ts';

// The analyzer's lists of what PUBLIC may not do come from the catalog; the server the tests run
// on must not know a privileged function, a secret relation or a user setting the lists miss.
describe('catalog privilege lists match the running server', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: inject('adminUrl') });
    await client.connect();
  });
  afterAll(async () => client.end());

  const list = async (sql: string) => (await client.query<{ name: string }>(sql)).rows.map((r) => r.name);

  it('lists every pg_catalog function PUBLIC may not execute', async () => {
    const names = await list(
      `select distinct proname as name from pg_proc p where pronamespace = 'pg_catalog'::regnamespace and not has_function_privilege('public', p.oid, 'execute')`,
    );
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((name) => !privilegedFunctions.has(name))).toEqual([]);
  });

  it('lists every catalog relation PUBLIC may not read', async () => {
    const names =
      await list(`select distinct relname as name from pg_class c where relnamespace in ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
      and relkind in ('r', 'v', 'm', 'p') and (not has_table_privilege('public', c.oid, 'select')
        or exists (select from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and not has_column_privilege('public', c.oid, a.attnum, 'select')))`);
    expect(names).toContain('pg_authid');
    expect(names.filter((name) => !secretRelations.has(name))).toEqual([]);
  });

  it('knows no setting as user-settable that the server reserves', async () => {
    const reserved = await list(`select lower(name) as name from pg_settings where context <> 'user'`);
    expect(reserved).toContain('session_replication_role');
    expect(reserved.filter((name) => userSettings.has(name))).toEqual([]);
  });

  it('knows every built-in function and operator name', async () => {
    const functions = await list(
      `select distinct proname as name from pg_proc where pronamespace = 'pg_catalog'::regnamespace`,
    );
    const operators = await list(
      `select distinct oprname as name from pg_operator where oprnamespace = 'pg_catalog'::regnamespace`,
    );
    expect(functions).toContain('lower');
    expect(functions.filter((name) => !builtinFunctions.has(name))).toEqual([]);
    expect(operators.filter((name) => !builtinOperators.has(name))).toEqual([]);
  });
});
