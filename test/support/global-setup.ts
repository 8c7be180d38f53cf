import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/database/embedded-postgres.ts';
import { migrateControlPlane } from '../../src/database/migrate.ts';
import { databaseUrl } from '../../src/database/server-admin.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateName: string;
  }
}

/**
 * One Postgres for the whole run: TEST_DATABASE_URL when set, otherwise an
 * embedded Postgres 18 in a temporary directory. The control-plane migrations
 * are applied once to a template that each test clones.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedPostgres | undefined;
  let dir: string | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    dir = await mkdtemp(path.join(tmpdir(), 'schemagate-test-pg-'));
    embedded = await startEmbeddedPostgres({ dir, ephemeral: true });
    adminUrl = embedded.url;
  }
  const templateName = `sg_tmpl_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await dropLeftovers(admin);
  await admin.query(`drop database if exists ${templateName}`);
  await admin.query(`create database ${templateName}`);
  await migrateControlPlane(databaseUrl(adminUrl, templateName));
  project.provide('adminUrl', adminUrl);
  project.provide('templateName', templateName);

  return async () => {
    await admin.query(`drop database if exists ${templateName} with (force)`);
    await admin.end();
    await embedded?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  };
}

/** Databases of earlier runs that died before their teardown (their process is gone). */
async function dropLeftovers(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    `select datname from pg_database where datname ~ '^sg_(tmpl|t)_[0-9]+(_|$)'`,
  );
  for (const { datname } of rows) {
    const pid = Number(/^sg_(?:tmpl|t)_(\d+)/.exec(datname)?.[1]);
    if (!isAlive(pid)) await admin.query(`drop database if exists "${datname}" with (force)`);
  }
  const roles = await admin.query<{ rolname: string }>(`select rolname from pg_roles where rolname ~ '^sg_r_[0-9]+_'`);
  for (const { rolname } of roles.rows) {
    if (!isAlive(Number(/^sg_r_(\d+)_/.exec(rolname)?.[1])))
      await admin.query(`drop role if exists "${rolname}"`).catch(() => {});
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
