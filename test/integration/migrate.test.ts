import { describe, expect, it } from 'vitest';
import { migrateControlPlane } from '../../src/database/migrate.ts';
import { createScratchDatabase } from '../support/database.ts';

describe('control-plane migrations', () => {
  it('apply once even when several instances start at the same time', async () => {
    const database = await createScratchDatabase();
    const results = await Promise.all(Array.from({ length: 4 }, () => migrateControlPlane(database.url)));
    expect(results.map((r) => r.applied).sort()).toEqual([0, 0, 0, 2]);
    const { rows } = await database.pool.query('select count(*)::int as n from schemagate_migrations.__drizzle_migrations');
    expect(rows[0].n).toBe(2);
    expect((await migrateControlPlane(database.url)).applied).toBe(0);
  });
});
