import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, inject } from 'vitest';
import { openDatabase, type Database } from '../../src/database/connection.ts';
import { databaseUrl } from '../../src/database/server-admin.ts';

export interface TestDatabase extends Database {
  url: string;
  name: string;
}

const open: Array<() => Promise<void>> = [];
const roles: string[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((drop) => drop()));
  // Roles are shared by the whole server: dropped once the databases they own objects in are gone.
  for (const role of roles.splice(0)) await adminQuery(`drop role if exists ${role}`);
});

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: inject('adminUrl') });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/**
 * A fresh control-plane database for one test: a clone of the migrated
 * template (milliseconds), dropped after the test.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  return createDatabase(inject('templateName'));
}

/** An empty database (no control plane) for one test, dropped after it. */
export async function createScratchDatabase(): Promise<TestDatabase> {
  return createDatabase('template0');
}

/** A login role name unique to this test (named after the run, like the databases), dropped after the test. */
export function testRoleName(): string {
  const name = `sg_r_${inject('templateName').replace(/^sg_tmpl_/, '')}_${randomBytes(4).toString('hex')}`;
  roles.push(name);
  return name;
}

/**
 * The test server's admin URL as a new role that may create databases and roles but
 * is no superuser, as Neon's or Netlify Database's owner is; dropped after the test.
 */
export async function ownerAdminUrl(): Promise<string> {
  const role = testRoleName();
  await adminQuery(`create role ${role} login password 'pw' createdb createrole`);
  const url = new URL(inject('adminUrl'));
  url.username = role;
  url.password = 'pw';
  return url.toString();
}

/**
 * The same database under the local host's other name (localhost and 127.0.0.1):
 * to schemagate a server of its own, so nothing takes the TEMPLATE shortcut.
 */
export function onAnotherHost(url: string): string {
  const u = new URL(url);
  u.hostname = u.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  return u.toString();
}

async function createDatabase(template: string): Promise<TestDatabase> {
  // Named after the run (the template's pid) so a crashed run's leftovers can be found.
  const name = `sg_t_${inject('templateName').replace(/^sg_tmpl_/, '')}_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name} template ${template}`);
  const url = databaseUrl(inject('adminUrl'), name);
  const database = openDatabase(url);
  open.push(async () => {
    await database.close();
    await adminQuery(`drop database if exists ${name} with (force)`);
  });
  return { ...database, url, name };
}
