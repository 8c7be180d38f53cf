import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/sql/analyze.ts';
import {
  productionRoutines,
  productionRoutinesQuery,
  type ProductionRoutineRow,
} from '../../src/sql/production-routines.ts';
import { defaultPolicy } from '../../src/sql/policy.ts';
import { createScratchDatabase } from '../support/database.ts';

const sg104 = (sql: string, options = {}) =>
  analyze(sql, defaultPolicy, options).findings.filter((f) => f.code === 'SG104');

// Statically a user-defined function in a column default is assumed volatile; production's catalog
// tells the truth, per name, most volatile overload first.
describe('function volatility from the catalog', () => {
  it('reads user functions by schema.name and lets a stable or immutable default pass', async () => {
    const database = await createScratchDatabase();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(`create schema app;
        create function app.tenant_code() returns text language sql stable as $$ select 'acme' $$;
        create function public.short_id() returns text language sql volatile as $$ select md5(random()::text) $$;
        create function public.pick(a int) returns int language sql immutable as $$ select a $$;
        create function public.pick(a text) returns text language sql volatile as $$ select a $$;`);
      const known = productionRoutines(
        (await client.query<ProductionRoutineRow>(productionRoutinesQuery)).rows,
      ).functionVolatility;
      expect(known).toMatchObject({
        'app.tenant_code': 'stable',
        'public.short_id': 'volatile',
        'public.pick': 'volatile',
      });
      expect(
        Object.keys(known).some((name) => name.startsWith('pg_catalog.') || name.startsWith('information_schema.')),
      ).toBe(false);

      const stable = 'ALTER TABLE users ADD COLUMN tenant text DEFAULT app.tenant_code();';
      expect(sg104(stable)).toHaveLength(1);
      expect(sg104(stable, { functionVolatility: known })).toEqual([]);
      const volatile = sg104('ALTER TABLE users ADD COLUMN code text DEFAULT short_id();', {
        functionVolatility: known,
      });
      expect(volatile.map((f) => f.message)).toEqual([expect.stringContaining('volatile default short_id()')]);
      expect(sg104('ALTER TABLE users ADD COLUMN n int DEFAULT pick(1);', { functionVolatility: known })).toHaveLength(
        1,
      );
    } finally {
      await client.end();
    }
  });
});

const sg324 = (sql: string, options = {}) =>
  analyze(sql, defaultPolicy, options).findings.filter((f) => f.code === 'SG324');

// A CALL of a procedure the migration defines is its own, unless the database already has a procedure of that
// name: CALL picks an overload by its arguments, so a decoy p(int) lets CALL p('x'::text) run production's p(text).
describe('procedures from the catalog', () => {
  it('reads procedures by schema and name, and a CALL that could reach one of them is external', async () => {
    const database = await createScratchDatabase();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(`create schema admin;
        create procedure admin.rotate_keys(reason text) language sql as $$ select 1 $$;
        create procedure public."Purge"(reason text) language sql as $$ select 1 $$;
        create function public.rotate(a int) returns int language sql immutable as $$ select a $$;`);
      const routines = productionRoutines((await client.query<ProductionRoutineRow>(productionRoutinesQuery)).rows);
      expect(routines.procedures.sort()).toEqual([
        ['admin', 'rotate_keys'],
        ['public', 'Purge'],
      ]);
      expect(routines.functionVolatility).toEqual({ 'public.rotate': 'immutable' });

      const decoy = `CREATE PROCEDURE admin.rotate_keys(n int) LANGUAGE sql AS $$ SELECT 1 $$;
        CALL admin.rotate_keys('now'::text);`;
      expect(sg324(decoy)).toHaveLength(0); // statically the migration's own definition is trusted
      expect(sg324(decoy, routines)).toHaveLength(1);
      expect(analyze(decoy, defaultPolicy, routines).riskClass).toBe('forbidden');
      // Unqualified, the name may resolve in any schema on the search_path.
      expect(
        sg324(
          `CREATE PROCEDURE rotate_keys(n int) LANGUAGE sql AS $$ SELECT 1 $$; CALL rotate_keys('x'::text);`,
          routines,
        ),
      ).toHaveLength(1);
      expect(
        sg324(`CREATE PROCEDURE "Purge"(n int) LANGUAGE sql AS $$ SELECT 1 $$; CALL "Purge"('x');`, routines),
      ).toHaveLength(1);
      // A name production does not have, in any case or schema, stays the migration's own.
      expect(sg324(`CREATE PROCEDURE purge(n int) LANGUAGE sql AS $$ SELECT 1 $$; CALL purge(1);`, routines)).toEqual(
        [],
      );
      expect(
        sg324(`CREATE PROCEDURE app.rotate(n int) LANGUAGE sql AS $$ SELECT 1 $$; CALL app.rotate(1);`, routines),
      ).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
