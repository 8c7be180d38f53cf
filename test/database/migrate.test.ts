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
});
