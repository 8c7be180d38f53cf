import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import {
  checkRolePrivileges,
  productionRoleFix,
  roleRefusal,
  type RoleCheck,
} from '../../src/database/role-privileges.ts';
import { databaseUrl, withClient } from '../../src/database/server-admin.ts';
import { createScratchDatabase, testRoleName, type TestDatabase } from '../support/database.ts';

const adminUser = decodeURIComponent(new URL(inject('adminUrl')).username);

const password = 'a-test-password';

/** A login role owning the scratch database's public schema: what a migrator looks like, plus `attributes`. */
async function loginRole(db: TestDatabase, attributes = ''): Promise<string> {
  const role = testRoleName();
  await db.pool.query(
    `create role ${role} login password '${password}' ${attributes}; alter schema public owner to ${role}`,
  );
  return role;
}

const asRole = (db: TestDatabase, role: string) => databaseUrl(db.url, db.name, { user: role, password });
const checkAs = (url: string, setup = '') =>
  withClient(url, async (client) => {
    if (setup) await client.query(setup);
    return checkRolePrivileges(client);
  });
const whats = (check: RoleCheck) => check.problems.map((p) => p.what);

describe('checkRolePrivileges', () => {
  it('passes a login role without attributes that owns the schemas, and names what it ignores', async () => {
    const db = await createScratchDatabase();
    const role = await loginRole(db);
    // Ledger schemas and pg_* schemas need not be the migrator's.
    await db.pool.query('create schema netlify; create schema schemagate');
    expect(await checkAs(asRole(db, role))).toEqual({ role, problems: [] });
  });

  it.each(['superuser', 'createrole', 'createdb', 'replication', 'bypassrls'])('refuses %s', async (attribute) => {
    const db = await createScratchDatabase();
    const role = await loginRole(db, attribute);
    const check = await checkAs(asRole(db, role));
    expect(check.problems).toContainEqual({
      kind: 'too_powerful',
      what: attribute,
      message: expect.stringMatching(/^it (is a|has) /),
    });
    const refusal = roleRefusal(check, 'production', productionRoleFix)!;
    expect(refusal.code).toBe('production_role_too_powerful');
    expect(refusal.message).toContain(`production role ${role} is too powerful`);
    expect(refusal.message).toContain('schemagate production setup --admin-url');
  });

  it.each(['pg_execute_server_program', 'pg_read_all_data'])('refuses membership in %s', async (predefined) => {
    const db = await createScratchDatabase();
    const role = await loginRole(db);
    await db.pool.query(`grant ${predefined} to ${role}`);
    expect((await checkAs(asRole(db, role))).problems).toEqual([
      {
        kind: 'too_powerful',
        what: `member_of:${predefined}`,
        message: expect.stringContaining(`member of ${predefined}, a predefined role`),
      },
    ]);
  });

  it('refuses membership in a role that is itself a member of a superuser role', async () => {
    const db = await createScratchDatabase();
    const role = await loginRole(db);
    const [group, root] = [testRoleName(), testRoleName()];
    await db.pool.query(
      `create role ${root} superuser nologin; create role ${group} nologin; grant ${root} to ${group}; grant ${group} to ${role}`,
    );
    const check = await checkAs(asRole(db, role));
    // The role with the power is named, not the harmless group in between.
    expect(check.problems).toEqual([
      { kind: 'too_powerful', what: `member_of:${root}`, message: `it is a member of ${root}, which has superuser` },
    ]);
  });

  it('refuses a session that SET ROLE to a proper role from a superuser session, and one that SET SESSION AUTHORIZATION', async () => {
    const db = await createScratchDatabase();
    const role = await loginRole(db);
    const setRole = await checkAs(db.url, `set role ${role}`);
    expect(setRole.role).toBe(role);
    expect(whats(setRole)).toEqual(expect.arrayContaining(['set_role', 'superuser']));
    expect(setRole.problems[0]!.message).toContain('RESET ROLE');
    const authorization = await checkAs(db.url, `set session authorization ${role}`);
    expect(whats(authorization)).toEqual(expect.arrayContaining(['session_authorization', 'superuser']));
    expect(authorization.problems.find((p) => p.what === 'superuser')!.message).toBe(`${adminUser} is a superuser`);
  });

  it('refuses a role missing ownership of an application schema, with its own code', async () => {
    const db = await createScratchDatabase();
    const role = await loginRole(db);
    await db.pool.query('create schema billing');
    const check = await checkAs(asRole(db, role));
    expect(check.problems).toEqual([
      { kind: 'not_owner', what: 'schema:billing', message: `schema billing is owned by ${adminUser}, not by ${role}` },
    ]);
    expect(roleRefusal(check, 'production', productionRoleFix)).toMatchObject({
      code: 'production_role_not_owner',
      message: expect.stringContaining("does not own the application's schemas"),
    });
  });

  it('counts schemas of pg_database_owner only when the role owns the database', async () => {
    const db = await createScratchDatabase();
    const role = testRoleName();
    await db.pool.query(`create role ${role} login password '${password}'`);
    expect(whats(await checkAs(asRole(db, role)))).toEqual(['schema:public']);
    await db.pool.query(`alter database ${db.name} owner to ${role}`);
    expect(whats(await checkAs(asRole(db, role)))).toEqual([]);
  });

  it('refuses privileges on server parameters (ALTER SYSTEM reaches the server)', async () => {
    const db = await createScratchDatabase();
    const role = await loginRole(db);
    await db.pool.query(`grant alter system on parameter archive_command to ${role}`);
    try {
      expect(whats(await checkAs(asRole(db, role)))).toEqual(['parameter:archive_command']);
    } finally {
      await db.pool.query(`revoke alter system on parameter archive_command from ${role}`);
    }
  });

  it('checks a role by name from an admin session, leaving out the session checks', async () => {
    const db = await createScratchDatabase();
    const role = await loginRole(db, 'createdb');
    const check = await withClient(db.url, (admin: pg.Client) => checkRolePrivileges(admin, { role }));
    expect(check).toEqual({ role, problems: [{ kind: 'too_powerful', what: 'createdb', message: 'it has CREATEDB' }] });
  });
});
