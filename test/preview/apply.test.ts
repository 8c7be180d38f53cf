import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { executeOne } from '../../src/database/statement-session.ts';
import { applyMigration } from '../../src/preview/apply.ts';
import { withClient } from '../../src/database/server-admin.ts';
import { previewDatabase, timeouts } from './preview-database.ts';

const seed = `
create table users (id bigint primary key, email text, team int);
insert into users select g, case when g % 10 = 0 then null else 'u' || (g % 500) || '@x' end, g % 7 from generate_series(1, 2000) g;`;

describe('applyMigration', () => {
  it('applies in one transaction and records locks, rewrites, rows and sizes per statement', async () => {
    const db = await previewDatabase(seed);
    const sql = `alter table users add column age int;\nupdate users set team = 0 where team = 1;\nalter table users alter column team type bigint;\n`;
    const result = await applyMigration(db.runnerUrl, sql, timeouts);
    expect(result).toMatchObject({ ok: true, mode: 'transaction', committed: true, role: 'sg_preview_runner' });
    const [add, update, retype] = result.statements;
    expect(add!.locks).toContainEqual({ relation: 'public.users', relkind: 'r', mode: 'AccessExclusiveLock' });
    expect(add!.rewritten).toEqual([]);
    expect(update!.rowCount).toBe(286);
    expect(update!.locks).toContainEqual({ relation: 'public.users', relkind: 'r', mode: 'RowExclusiveLock' });
    expect(retype!.rewritten).toEqual(['public.users']);
    expect(retype!.tables).toEqual([expect.objectContaining({ table: 'public.users', rows: 2000 })]);
    expect(retype!.tables[0]!.totalBytes).toBeGreaterThan(0);
    expect(retype!.line).toBe(3);
  });

  it('measures from the real catalog when the migration puts look-alikes of it in pg_temp or moves its search_path', async () => {
    const db = await previewDatabase(seed);
    const sql = [
      'create table pg_temp.pg_locks (relation oid, mode text, pid int, locktype text, granted bool, database oid);',
      'create table pg_temp.pg_class (oid oid, relname name, relnamespace oid, relkind char, reltuples real);',
      'create schema decoy;',
      'set search_path = decoy, public;',
      'alter table users alter column team type bigint;',
      '',
    ].join('\n');
    const result = await applyMigration(db.runnerUrl, sql, timeouts);
    expect(result.ok).toBe(true);
    const retype = result.statements[4]!;
    expect(retype.locks).toContainEqual({ relation: 'public.users', relkind: 'r', mode: 'AccessExclusiveLock' });
    expect(retype.rewritten).toEqual(['public.users']);
    expect(retype.tables).toEqual([expect.objectContaining({ table: 'public.users', rows: 2000 })]);
  });

  it('reports a syntax error with its line and column in the file, running nothing', async () => {
    const db = await previewDatabase(seed);
    const result = await applyMigration(
      db.runnerUrl,
      'alter table users add column age int;\n\n  alter tabel users drop column email;\n',
      timeouts,
    );
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({
      code: '42601',
      line: 3,
      column: 9,
      message: 'syntax error at or near "tabel"',
    });
    const columns = await db.database.pool.query(
      `select 1 from information_schema.columns where table_name = 'users' and column_name = 'age'`,
    );
    expect(columns.rowCount).toBe(0);
  });

  it('maps a server error position inside a later statement to the file and rolls everything back', async () => {
    const db = await previewDatabase(seed);
    const sql = 'create table a (x int);\ninsert into users (id, email)\n  values (1, nosuchcolumn);\n';
    const result = await applyMigration(db.runnerUrl, sql, timeouts);
    expect(result).toMatchObject({ ok: false, committed: false });
    expect(result.error).toMatchObject({ code: '42703', line: 3, column: 14, statementIndex: 1 });
    expect(result.error!.statementText).toContain('insert into users');
    expect(result.statements.map((s) => s.ok)).toEqual([true, false]);
    expect((await db.database.pool.query(`select to_regclass('public.a') as t`)).rows[0].t).toBeNull();
  });

  it('reports a failure only the data reveals with SQLSTATE and position, withholding the row data Postgres quotes', async () => {
    const db = await previewDatabase(seed);
    const notNull = await applyMigration(db.runnerUrl, 'alter table users alter column email set not null;', timeouts);
    expect(notNull.error).toMatchObject({ code: '23502', statementIndex: 0 });
    const unique = await applyMigration(
      db.runnerUrl,
      'create table a (x int);\ncreate unique index users_email on users (email);',
      timeouts,
    );
    expect(unique.error).toMatchObject({
      code: '23505',
      message: expect.stringContaining('users_email'),
      line: 2,
      column: 1,
      withheld: ['detail'],
    });
    // Postgres' detail ("Key (email)=(u1@x) is duplicated.") names a row's value.
    expect(JSON.stringify(unique)).not.toMatch(/u\d+@x/);
    const cast = await applyMigration(
      db.runnerUrl,
      'alter table users alter column email type int using email::int;',
      timeouts,
    );
    expect(cast.error).toMatchObject({
      code: '22P02',
      message: expect.stringMatching(/^invalid input syntax for a type \(the message is withheld/),
      withheld: ['message'],
    });
    expect(JSON.stringify(cast)).not.toMatch(/u\d+@x/);
  });

  it.each([
    [
      'RAISE with a SQLSTATE of its choosing',
      "DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '42P01', MESSAGE = (SELECT email FROM users WHERE email IS NOT NULL LIMIT 1), HINT = (SELECT max(email) FROM users); END $$;",
    ],
    [
      'a row value turned into a relation name',
      'SELECT (SELECT email FROM users WHERE email IS NOT NULL LIMIT 1)::regclass;',
    ],
    ['a row value turned into a role name', 'SELECT (SELECT max(email) FROM users)::regrole;'],
  ])('keeps row data out of an error the migration provokes: %s', async (_name, sql) => {
    const db = await previewDatabase(seed);
    const result = await applyMigration(db.runnerUrl, sql, timeouts);
    expect(result.ok).toBe(false);
    expect(result.error!.withheld).toContain('message');
    expect(JSON.stringify(result)).not.toMatch(/u\d+@x/);
  });

  it('stops at lock_timeout when another session holds a lock on the preview', async () => {
    const db = await previewDatabase(seed);
    await withClient(db.url, async (holder) => {
      await holder.query('begin; lock table users in access share mode');
      const result = await applyMigration(db.runnerUrl, 'alter table users add column age int;', {
        lockTimeoutMs: 200,
        statementTimeoutMs: 10_000,
      });
      await holder.query('rollback');
      expect(result.error).toMatchObject({ code: '55P03', timeout: 'lock', line: 1, column: 1 });
      expect(result.statements[0]!.durationMs).toBeGreaterThanOrEqual(150);
    });
  });

  it('stops at statement_timeout', async () => {
    const db = await previewDatabase();
    const result = await applyMigration(db.runnerUrl, 'select pg_sleep(5);', {
      lockTimeoutMs: 1000,
      statementTimeoutMs: 200,
    });
    expect(result.error).toMatchObject({ code: '57014', timeout: 'statement' });
    expect(result.durationMs).toBeLessThan(3000);
  });

  it('cancels a migration that lifts its own statement_timeout', async () => {
    const db = await previewDatabase();
    const result = await applyMigration(db.runnerUrl, 'set statement_timeout = 0;\nselect pg_sleep(10);', {
      lockTimeoutMs: 1000,
      statementTimeoutMs: 200,
    });
    expect(result.error).toMatchObject({ code: '57014', statementIndex: 1 });
    expect(result.durationMs).toBeLessThan(5000);
  });

  it('runs CONCURRENTLY statements outside a transaction, one by one, sampling their locks', async () => {
    // Big enough that the index build outlasts a few lock samples even on a busy machine.
    const db = await previewDatabase(
      `${seed}\ninsert into users select g, 'x' || g, g % 7 from generate_series(2001, 200000) g;`,
    );
    const sql = 'alter table users add column age int;\ncreate index concurrently users_team on users (team);\n';
    const result = await applyMigration(db.runnerUrl, sql, timeouts);
    expect(result).toMatchObject({ ok: true, mode: 'autocommit', committed: true });
    expect(result.statements[1]!.locks).toContainEqual({
      relation: 'public.users',
      relkind: 'r',
      mode: 'ShareUpdateExclusiveLock',
    });
    const index = await db.database.pool.query(
      `select indisvalid from pg_index where indexrelid = 'users_team'::regclass`,
    );
    expect(index.rows[0].indisvalid).toBe(true);
  });

  it('leaves earlier statements applied when a later one fails outside a transaction', async () => {
    const db = await previewDatabase(seed);
    const sql =
      'create index concurrently users_team on users (team);\ncreate unique index concurrently users_email on users (email);\n';
    const result = await applyMigration(db.runnerUrl, sql, timeouts);
    expect(result).toMatchObject({
      ok: false,
      mode: 'autocommit',
      committed: true,
      error: { code: '23505', line: 2, statementIndex: 1 },
    });
  });

  it('refuses transaction control inside the migration', async () => {
    const db = await previewDatabase();
    const result = await applyMigration(db.runnerUrl, 'create table a (x int);\ncommit;\n', timeouts);
    expect(result.error).toMatchObject({ code: 'schemagate', line: 2, statementIndex: 1 });
  });

  it('runs as a role without superuser rights', async () => {
    const db = await previewDatabase(seed);
    const alterSystem = await applyMigration(db.runnerUrl, "alter system set work_mem = '1GB';", timeouts);
    expect(alterSystem.error).toMatchObject({ code: '42501', message: expect.stringMatching(/permission denied/) });
    const program = await applyMigration(db.runnerUrl, "copy users to program 'true';", timeouts);
    expect(program.error).toMatchObject({ code: '42501' });
    const escape = await applyMigration(db.runnerUrl, 'reset role;\nset session authorization postgres;', timeouts);
    expect(escape.error).toMatchObject({ code: '42501', statementIndex: 1 });
  });

  it('refuses a superuser session, and a runner that does not own the schemas, before running anything', async () => {
    const db = await previewDatabase();
    await expect(applyMigration(db.url, 'create table a (x int);', timeouts)).rejects.toMatchObject({
      code: 'preview_role_too_powerful',
      details: expect.arrayContaining([expect.objectContaining({ what: 'superuser' })]),
    });
    await db.database.pool.query('create schema billing');
    await expect(applyMigration(db.runnerUrl, 'create table a (x int);', timeouts)).rejects.toMatchObject({
      code: 'preview_role_not_owner',
      message: expect.stringContaining('schema billing is owned by'),
    });
    expect((await db.database.pool.query(`select to_regclass('public.a') as t`)).rows[0].t).toBeNull();
  });

  it('rolls back after inspecting when asked', async () => {
    const db = await previewDatabase(seed);
    let inside: unknown;
    const result = await applyMigration(db.runnerUrl, 'drop table users;', {
      ...timeouts,
      rollback: true,
      inspect: async (client: pg.ClientBase) => {
        inside = (await client.query(`select to_regclass('public.users') as t`)).rows[0].t;
      },
    });
    expect(result).toMatchObject({ ok: true, committed: false });
    expect(inside).toBeNull();
    expect((await db.database.pool.query(`select to_regclass('public.users')::text as t`)).rows[0].t).toBe('users');
  });

  describe('one parse, one execution', () => {
    // Under standard_conforming_strings = off, \' escapes the quote: the server would read a
    // DROP TABLE where the analyzer (and the preview) read one SELECT of two string literals.
    const disguised = "SELECT 'a\\', '; DROP TABLE victim; -- ';";

    it('pins the settings that decide tokenization, whatever the database default says', async () => {
      const db = await previewDatabase('create table victim (id int);');
      await db.database.pool.query(
        `alter database ${pg.escapeIdentifier(db.database.name)} set standard_conforming_strings = off`,
      );
      const result = await applyMigration(db.runnerUrl, disguised, timeouts);
      expect(result).toMatchObject({ ok: true, statements: [expect.objectContaining({ kind: 'SelectStmt' })] });
      expect((await db.database.pool.query(`select to_regclass('public.victim')::text as t`)).rows[0].t).toBe('victim');
    });

    it('sends each statement alone, so text that splits into two commands is refused, not run', async () => {
      const db = await previewDatabase('create table victim (id int);');
      await withClient(db.url, async (client) => {
        await client.query('set standard_conforming_strings = off; set escape_string_warning = off');
        await expect(executeOne(client, disguised.slice(0, -1))).rejects.toMatchObject({
          code: '42601',
          message: expect.stringContaining('multiple commands'),
        });
        // The same text over the simple protocol is what an unguarded apply would have done.
        await client.query('begin');
        await client.query(disguised);
        expect((await client.query(`select to_regclass('public.victim')::text as t`)).rows[0].t).toBeNull();
        await client.query('rollback');
      });
      expect((await db.database.pool.query(`select to_regclass('public.victim')::text as t`)).rows[0].t).toBe('victim');
    });
  });
});
