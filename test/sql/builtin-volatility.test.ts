import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { nonVolatileBuiltins } from '../../src/sql/rules/builtin-volatility.ts';
import { volatileFunctions } from '../../src/sql/rules/column-defaults.ts';

/** The query that generates src/sql/rules/builtin-volatility.ts: names none of whose overloads is volatile. */
export const nonVolatileBuiltinsQuery = `select proname as name from pg_proc p
  where pronamespace = 'pg_catalog'::regnamespace and prokind = 'f'
    and prorettype not in ('internal'::regtype, 'cstring'::regtype, 'trigger'::regtype, 'event_trigger'::regtype,
      'language_handler'::regtype, 'fdw_handler'::regtype, 'index_am_handler'::regtype, 'tsm_handler'::regtype, 'table_am_handler'::regtype)
    and not exists (select from unnest(proargtypes) t where t in ('internal'::regtype, 'cstring'::regtype))
  group by proname having bool_and(provolatile <> 'v') order by 1`;

// A column default is judged non-volatile by these names alone, so the server the tests run on must
// not have a volatile overload of any of them: that would let a rewriting ADD COLUMN pass unflagged.
describe('built-in volatility list matches the running server', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: inject('adminUrl') });
    await client.connect();
  });
  afterAll(async () => client.end());

  it('lists no function name that has a volatile overload in pg_catalog', async () => {
    const { rows } = await client.query<{ name: string }>(`select distinct proname as name from pg_proc
      where pronamespace = 'pg_catalog'::regnamespace and provolatile = 'v'`);
    expect(rows.map((r) => r.name)).toContain('random');
    expect(rows.map((r) => r.name).filter((name) => nonVolatileBuiltins.has(name))).toEqual([]);
  });

  it('knows the common stable and immutable built-ins, and no hand-listed volatile one', async () => {
    const { rows } = await client.query<{ name: string }>(nonVolatileBuiltinsQuery);
    const names = rows.map((r) => r.name);
    for (const name of ['now', 'timezone', 'lower', 'to_char', 'jsonb_build_object'])
      expect(nonVolatileBuiltins.has(name), name).toBe(true);
    expect(names.filter((name) => !nonVolatileBuiltins.has(name))).toEqual([]);
    expect([...volatileFunctions].filter((name) => nonVolatileBuiltins.has(name))).toEqual([]);
  });
});
