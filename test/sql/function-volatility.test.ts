import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/sql/analyze.ts';
import { functionVolatility, functionVolatilityQuery } from '../../src/sql/function-volatility.ts';
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
      const known = functionVolatility(
        (await client.query<{ schema: string; name: string; volatility: string }>(functionVolatilityQuery)).rows,
      );
      expect([...known].sort()).toEqual([
        ['app', 'tenant_code', 'stable'],
        ['public', 'pick', 'volatile'],
        ['public', 'short_id', 'volatile'],
      ]);

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
