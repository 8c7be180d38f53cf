import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrateControlPlane, migrationsFolder } from '../../src/database/migrate.ts';

const shipped = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')).entries
  .length as number;
import { createScratchDatabase } from '../support/database.ts';

describe('control-plane migrations', () => {
  it('apply once even when several instances start at the same time', async () => {
    const database = await createScratchDatabase();
    const results = await Promise.all(Array.from({ length: 4 }, () => migrateControlPlane(database.url)));
    expect(results.map((r) => r.applied).sort()).toEqual([0, 0, 0, shipped]);
    const { rows } = await database.pool.query(
      'select count(*)::int as n from schemagate_migrations.__drizzle_migrations',
    );
    expect(rows[0].n).toBe(shipped);
    expect((await migrateControlPlane(database.url)).applied).toBe(0);
  });

  it('wait for an instance of an earlier version migrating, which holds the lock by its old number', async () => {
    const database = await createScratchDatabase();
    const earlier = await database.pool.connect();
    try {
      await earlier.query('select pg_advisory_lock(7301274101)');
      const migrating = migrateControlPlane(database.url);
      // A bigint advisory key shows in pg_locks as its high (classid) and low (objid) 32 bits.
      const waiting = async () =>
        (
          await database.pool.query(
            "select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and classid = 1 and objid = 3006306805",
          )
        ).rows[0].n as number;
      for (let i = 0; i < 300 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await waiting()).toBe(1);
      await earlier.query('select pg_advisory_unlock(7301274101)');
      expect((await migrating).applied).toBe(shipped);
    } finally {
      earlier.release();
    }
  });
});
