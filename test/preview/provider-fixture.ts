import { afterEach, inject } from 'vitest';
import {
  createPostgresBranchProvider,
  type PostgresBranchProvider,
  type PostgresBranchProviderOptions,
} from '../../src/preview/postgres-branch-provider.ts';
import { pgDumpMajor } from '../../src/preview/pg-tools.ts';
import { databasesWithPrefix, withClient } from '../../src/database/server-admin.ts';
import { createScratchDatabase, onAnotherHost, type TestDatabase } from '../support/database.ts';

const providers: PostgresBranchProvider[] = [];
afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.dropAll()));
});

/** A "production" database seeded with `sql`, and a provider on the test server whose previews and bases are dropped after the test. */
export async function productionWithProvider(
  sql: string,
  options: Partial<PostgresBranchProviderOptions> = {},
  copy: 'template' | 'dump' = 'template',
): Promise<{ production: TestDatabase; provider: PostgresBranchProvider }> {
  const production = await createScratchDatabase();
  if (sql) await onProduction(production, sql);
  const provider = createPostgresBranchProvider({
    productionUrl: copy === 'dump' ? onAnotherHost(production.url) : production.url,
    previewServerUrl: inject('adminUrl'),
    baseMode: 'full',
    ...options,
  });
  providers.push(provider);
  return { production, provider };
}

/**
 * Runs SQL on production over a connection that closes at once: a lingering
 * session would keep the provider from using production as a template.
 */
export async function onProduction<T = unknown>(production: TestDatabase, sql: string): Promise<T[]> {
  return withClient(production.url, async (client) => (await client.query(sql)).rows as T[]);
}

/** Databases on the server that carry `scope` in their comment: previews and bases not yet dropped. */
export async function databasesOf(provider: PostgresBranchProvider): Promise<string[]> {
  return withClient(inject('adminUrl'), async (admin) => {
    const all = [
      ...(await databasesWithPrefix(admin, 'sg_preview_')),
      ...(await databasesWithPrefix(admin, 'sg_base_')),
    ];
    return all.filter((db) => (db.comment as { scope?: string } | null)?.scope === provider.scope).map((db) => db.name);
  });
}

export const usersWithBadData = `
create table users (id bigint generated always as identity primary key, email text, note text);
insert into users (email) select case when g % 10 = 0 then null else 'u' || (g % 300) || '@x' end from generate_series(1, 3000) g;`;

/**
 * Why production cannot be copied on the test server, or false: the base copy
 * needs a pg_dump at least as new as the server, and this machine's pg_dump 15
 * cannot dump the embedded Postgres 18 used when TEST_DATABASE_URL is unset.
 */
export const copyUnsupported: string | false = await (async () => {
  const server = await withClient(inject('adminUrl'), async (c) =>
    Number((await c.query(`select current_setting('server_version_num') as v`)).rows[0].v),
  );
  const dump = await pgDumpMajor({});
  return dump !== null && dump >= Math.floor(server / 10000)
    ? false
    : `pg_dump ${dump} cannot dump a PostgreSQL ${Math.floor(server / 10000)} server`;
})();
