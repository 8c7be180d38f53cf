import { withClient } from '../../src/database/server-admin.ts';
import { setupProductionRole } from '../../src/promote/production-role.ts';
import { createScratchDatabase, onAnotherHost, testRoleName, type TestDatabase } from './database.ts';

/**
 * A production of 3,000 customers, and its URL as schemagate reaches it: as its
 * least-privileged migrator, on "another server" (`onAnotherHost`), so a preview
 * can neither use it as a template nor connect as its admin.
 *
 * @example
 * const { production, productionUrl } = await customersProduction();
 */
export async function customersProduction(): Promise<{ production: TestDatabase; productionUrl: string }> {
  const production = await createScratchDatabase();
  await withClient(production.url, (c) =>
    c.query(`create table customers (id bigint generated always as identity primary key, email text not null);
             insert into customers (email) select 'c' || g || '@x' from generate_series(1, 3000) g;`),
  );
  const migrator = await setupProductionRole(production.url, { role: testRoleName() });
  return { production, productionUrl: onAnotherHost(migrator.url) };
}
