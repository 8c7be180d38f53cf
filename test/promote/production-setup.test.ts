import { tmpdir } from 'node:os';
import { describe, expect, inject, it } from 'vitest';
import { checkRolePrivileges } from '../../src/database/role-privileges.ts';
import { databaseUrl, withClient } from '../../src/database/server-admin.ts';
import { loadConfig } from '../../src/config.ts';
import { setupProductionRole } from '../../src/promote/production-role.ts';
import { assertProductionRole } from '../../src/promote/production-startup.ts';
import { runCli } from '../support/cli.ts';
import { createScratchDatabase, testRoleName } from '../support/database.ts';

const password = 'a-test-password';

const app = `
create schema app;
create table app.accounts (id bigint generated always as identity primary key, email text);
create table public.notes (id serial primary key, body text);
create view public.recent as select * from public.notes;
create function app.touch() returns int language sql as 'select 1';
create type app.mood as enum ('ok', 'not_ok');`;

const owners = (url: string) =>
  withClient(
    url,
    async (c) =>
      (
        await c.query<{ name: string; owner: string }>(`
        select nspname as name, pg_get_userbyid(nspowner) as owner from pg_namespace where nspname in ('app', 'public', 'netlify', 'schemagate')
        union all select c.oid::regclass::text, pg_get_userbyid(relowner) from pg_class c where relnamespace in ('app'::regnamespace, 'public'::regnamespace) and relkind in ('r', 'v', 'S')
        union all select 'app.touch()', pg_get_userbyid(proowner) from pg_proc where proname = 'touch'
        union all select 'app.mood', pg_get_userbyid(typowner) from pg_type where typname = 'mood'
        order by 1`)
      ).rows,
  );

describe('schemagate production setup', () => {
  it('creates a login role that passes the check, owns the application, can write the ledgers, and prints its URL', async () => {
    const db = await createScratchDatabase();
    await db.pool.query(app);
    const role = testRoleName();
    const setup = await setupProductionRole(db.url, { role });
    expect(setup).toMatchObject({
      role,
      database: db.name,
      created: true,
      passwordSet: true,
      checkedAs: 'session',
      problems: [],
    });
    const url = new URL(setup.url);
    expect(url.username).toBe(role);
    expect(url.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(url.pathname).toBe(`/${db.name}`);

    const rows = await owners(db.url);
    const admin = decodeURIComponent(new URL(db.url).username);
    // The ledger schemas stay the admin's: the migrator writes them through grants.
    expect(rows.filter((r) => r.owner !== role).map((r) => r.name)).toEqual(['netlify', 'schemagate']);
    expect(rows.find((r) => r.name === 'netlify')!.owner).toBe(admin);

    await withClient(setup.url, async (migrator) => {
      const attributes = (
        await migrator.query(
          'select rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, rolcanlogin from pg_roles where rolname = current_user',
        )
      ).rows[0];
      expect(attributes).toEqual({
        rolsuper: false,
        rolcreaterole: false,
        rolcreatedb: false,
        rolreplication: false,
        rolbypassrls: false,
        rolcanlogin: true,
      });
      await migrator.query(
        `insert into netlify.migrations (name) values ('20260101000000_x'); insert into schemagate.ledger_steps values ('x', 0, 'abc', now()) on conflict (name, statement_index) do update set completed_at = now()`,
      );
      await migrator.query('alter table app.accounts add column name text; create schema reporting');
      await expect(migrator.query('create table schemagate.sneaky (id int)')).rejects.toThrow(
        /permission denied for schema schemagate/,
      );
    });
  });

  it('is idempotent: a second run changes nothing and keeps the password', async () => {
    const db = await createScratchDatabase();
    await db.pool.query(app);
    const role = testRoleName();
    const first = await setupProductionRole(db.url, { role });
    const before = await withClient(
      db.url,
      async (c) => (await c.query('select rolpassword from pg_authid where rolname = $1', [role])).rows[0].rolpassword,
    );
    const second = await setupProductionRole(db.url, { role });
    expect(second).toMatchObject({
      created: false,
      passwordSet: false,
      changes: [],
      checkedAs: 'catalog',
      problems: [],
    });
    expect(new URL(second.url).password).toBe('');
    expect(
      await withClient(
        db.url,
        async (c) =>
          (await c.query('select rolpassword from pg_authid where rolname = $1', [role])).rows[0].rolpassword,
      ),
    ).toBe(before);
    expect(first.changes.length).toBeGreaterThan(0);

    const rotated = await setupProductionRole(db.url, { role, rotatePassword: true });
    expect(rotated).toMatchObject({
      passwordSet: true,
      changes: [`set a new password for ${role}`],
      checkedAs: 'session',
      problems: [],
    });
    expect(new URL(rotated.url).password).not.toBe(new URL(first.url).password);
  });

  it('repairs a role that was given CREATEROLE and a membership reaching pg_read_all_data, leaving the group its own grants', async () => {
    const db = await createScratchDatabase();
    const role = testRoleName();
    const group = testRoleName();
    await setupProductionRole(db.url, { role });
    await db.pool.query(
      `alter role ${role} createrole; create role ${group} nologin; grant pg_read_all_data to ${group}; grant ${group} to ${role}`,
    );
    expect((await withClient(db.url, (c) => checkRolePrivileges(c, { role }))).problems.map((p) => p.what)).toEqual([
      'createrole',
      'member_of:pg_read_all_data',
    ]);

    const repaired = await setupProductionRole(db.url, { role });
    expect(repaired.changes).toEqual([
      `altered role ${role}: NOCREATEROLE`,
      `revoked membership in ${group} (granted by ${decodeURIComponent(new URL(db.url).username)})`,
    ]);
    expect(repaired.problems).toEqual([]);
    const { rows } = await db.pool.query(`select pg_has_role($1, 'pg_read_all_data', 'MEMBER') as reads`, [group]);
    expect(rows[0].reads).toBe(true);
  });

  it('lets the roles that owned what the migrator takes over keep their access', async () => {
    const db = await createScratchDatabase();
    const [role, appRole] = [testRoleName(), testRoleName()];
    await db.pool.query(
      `create role ${appRole} login; grant create on database ${db.name} to ${appRole}; set role ${appRole}; create schema shop; create table shop.orders (id int); reset role`,
    );
    const setup = await setupProductionRole(db.url, { role });
    expect(setup.changes).toContain(
      `granted ${role} to ${appRole}, which owned objects it takes over, so ${appRole} keeps its access`,
    );
    expect(setup.problems).toEqual([]);
    await withClient(db.url, async (c) => {
      await c.query(`set role ${appRole}`);
      await c.query('insert into shop.orders values (1); alter table shop.orders add column total int');
    });
  });

  it('works with a database owner that has CREATEROLE but is no superuser, as on Neon', async () => {
    const db = await createScratchDatabase();
    const [owner, role] = [testRoleName(), testRoleName()];
    await db.pool.query(
      `create role ${owner} login password '${password}' createrole createdb; alter database ${db.name} owner to ${owner}`,
    );
    await db.pool.query(
      `set role ${owner}; create schema app; create table app.orders (id int); create table public.notes (id int); reset role`,
    );
    const setup = await setupProductionRole(databaseUrl(db.url, db.name, { user: owner, password }), { role });
    expect(setup.problems).toEqual([]);
    expect((await owners(db.url)).filter((r) => r.owner !== role).map((r) => r.name)).toEqual([
      'netlify',
      'schemagate',
    ]);
    // The owner keeps using its tables through the migrator.
    await withClient(databaseUrl(db.url, db.name, { user: owner, password }), (c) =>
      c.query('insert into app.orders values (1); alter table public.notes add column body text'),
    );
  });

  it('works through the CLI with exit codes and --json', async () => {
    const db = await createScratchDatabase();
    const role = testRoleName();
    const ok = await runCli(['production', 'setup', '--admin-url', db.url, '--role', role, '--json'], {});
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      role,
      database: db.name,
      created: true,
      password_set: true,
      url: expect.stringContaining(`${role}:`),
      problems: [],
    });

    const again = await runCli(['production', 'setup', '--admin-url', db.url, '--role', role], {});
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing changed');
    expect(again.stdout).toContain('--rotate-password');

    expect((await runCli(['production', 'setup', '--role', role], {})).code).toBe(2);
    expect((await runCli(['production', 'setup', '--admin-url', db.url, '--role', 'pg_mine'], {})).code).toBe(2);
    const unreachable = await runCli(
      ['production', 'setup', '--admin-url', 'postgres://postgres@127.0.0.1:1/postgres', '--json'],
      {},
    );
    expect(unreachable.code).toBe(4);
    expect(JSON.parse(unreachable.stdout).error.code).toBe('unavailable');

    const weak = testRoleName();
    await db.pool.query(`create role ${weak} login password '${password}'`);
    const refused = await runCli(
      ['production', 'setup', '--admin-url', databaseUrl(db.url, db.name, { user: weak, password }), '--json'],
      {},
    );
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error.code).toBe('admin_privileges_missing');
  });
});

describe('the start-up check of PRODUCTION_DATABASE_URL', () => {
  const config = (productionUrl: string, previewServerUrl = inject('adminUrl')) => ({
    ...loadConfig({ env: {}, cwd: tmpdir() }),
    productionUrl,
    previewServerUrl,
  });

  it('refuses a superuser, passes the migrator, and only logs an unreachable production', async () => {
    const db = await createScratchDatabase();
    const lines: string[] = [];
    const log = (line: string) => void lines.push(line);
    await expect(assertProductionRole(config(db.url), log)).rejects.toMatchObject({
      code: 'production_role_too_powerful',
      message: expect.stringMatching(/^PRODUCTION_DATABASE_URL: production role \S+ is too powerful/),
    });
    const { url } = await setupProductionRole(db.url, { role: testRoleName() });
    await assertProductionRole(config(url), log);
    expect(lines).toEqual([]);
    // Previews need an admin of their own server: the migrator cannot create databases.
    await assertProductionRole(config(url, url), log);
    expect(lines).toEqual([expect.stringContaining('set PREVIEW_DATABASE_URL')]);
    await assertProductionRole(config('postgres://postgres@127.0.0.1:1/none'), log);
    expect(lines[1]).toContain('unreachable at start-up');
  });
});
