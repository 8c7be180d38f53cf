import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/sql/analyze.ts';
import { defaultPolicy, policySchema } from '../../src/sql/policy.ts';

const guardrails = (sql: string) =>
  analyze(sql, defaultPolicy)
    .findings.filter((f) => f.category === 'guardrail' && !f.suppressed)
    .map((f) => f.code);

describe('guardrails cannot be bypassed', () => {
  it.each([
    ['upper and mixed case', 'GrAnT SELECT ON users TO app;', 'SG302'],
    ['quoted function name', `SELECT "pg_read_file"('/etc/passwd');`, 'SG306'],
    ['schema-qualified, upper-case function', `SELECT PG_CATALOG.PG_READ_FILE('/etc/passwd');`, 'SG306'],
    ['comment between keywords', 'GRANT /* harmless */ SELECT ON users -- really\n TO app;', 'SG302'],
    ['several statements on one line', 'SELECT 1; SELECT 2; CREATE ROLE sneaky; SELECT 3;', 'SG301'],
    ['dollar-quoted string argument', `SELECT pg_read_file($x$/etc/passwd$x$);`, 'SG306'],
    ['DO block, static SQL', 'DO $$ BEGIN GRANT ALL ON users TO app; END $$;', 'SG302'],
    [
      'DO block with a custom tag and a call in an expression',
      `DO $body$ DECLARE t text := pg_read_file('/etc/passwd'); BEGIN NULL; END $body$;`,
      'SG306',
    ],
    ['DO block assignment', `DO $$ DECLARE t text; BEGIN t := lo_import('/x'); END $$;`, 'SG306'],
    [
      'plpgsql function body',
      `CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM set_config('session_replication_role', 'replica', true); END $$;`,
      'SG309',
    ],
    [
      'plpgsql trigger function body',
      'CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.x := 1; ALTER SYSTEM SET fsync = off; RETURN NEW; END $$;',
      'SG304',
    ],
    ['plpgsql dynamic SQL', `CREATE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'SELECT 1'; END $$;`, 'SG311'],
    [
      'SQL function body (string)',
      `CREATE FUNCTION f() RETURNS text LANGUAGE sql AS 'SELECT pg_read_file(''/etc/passwd'')';`,
      'SG306',
    ],
    [
      'SQL function body (BEGIN ATOMIC)',
      `CREATE FUNCTION f() RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT pg_read_file('/etc/passwd'); END;`,
      'SG306',
    ],
    [
      'function nested in a function body',
      `CREATE FUNCTION outer_f() RETURNS void LANGUAGE sql AS $o$ CREATE FUNCTION inner_f() RETURNS void LANGUAGE plpgsql AS $i$ BEGIN EXECUTE 'x'; END $i$ $o$;`,
      'SG311',
    ],
    ['view definition', `CREATE VIEW v AS SELECT pg_ls_dir('.') AS f;`, 'SG306'],
    ['column default', `CREATE TABLE t (id bigint, secret text DEFAULT pg_read_file('/etc/passwd'));`, 'SG306'],
    ['check constraint', `ALTER TABLE t ADD CONSTRAINT c CHECK (pg_stat_file(path) IS NOT NULL) NOT VALID;`, 'SG306'],
    ['subquery in a CTE', `WITH x AS (SELECT dblink('host=evil', 'select 1')) SELECT * FROM x;`, 'SG310'],
    [
      'function SET option',
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql SET session_replication_role = replica AS $$ SELECT 1 $$;',
      'SG309',
    ],
    ['prepared statement', `PREPARE p AS SELECT pg_read_file('/etc/passwd');`, 'SG306'],
    ['quoted reserved schema', 'DELETE FROM "netlify"."migrations" WHERE name = $$x$$;', 'SG315'],
    [
      '%TYPE parameter around a body hiding EXECUTE',
      `CREATE FUNCTION f(a t.c%TYPE) RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'GRANT ALL ON t TO x'; END $$;`,
      'SG311',
    ],
    [
      '%ROWTYPE variable around a body hiding a file read',
      `CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ DECLARE r t%ROWTYPE; BEGIN r.a := pg_read_file('/etc/passwd'); END $$;`,
      'SG306',
    ],
    [
      'body that does not parse',
      `CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN GRANT; pg_read_file('/x'); END $$;`,
      'SG316',
    ],
  ])('%s', (_label, sql, code) => {
    expect(guardrails(sql)).toContain(code);
  });

  it('cannot be turned off or lowered by policy', () => {
    const result = policySchema.safeParse({ rules: { SG302: 'off', SG306: 'warning', SG101: 'off' } });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['rules.SG302', 'rules.SG306']));
    expect(paths).not.toContain('rules.SG101');
  });

  it('makes the proposal forbidden', () => {
    expect(analyze('CREATE TABLE t (id bigint); GRANT SELECT ON t TO app;').riskClass).toBe('forbidden');
  });

  it('honours the extension allowlist from policy', () => {
    const policy = policySchema.parse({ extensions: ['plv8'] });
    expect(analyze('CREATE EXTENSION plv8;', policy).findings.map((f) => f.code)).not.toContain('SG308');
    expect(analyze('CREATE EXTENSION pgcrypto;', policy).findings.map((f) => f.code)).toContain('SG308');
  });

  describe('SECURITY DEFINER allowlisted by policy', () => {
    const policy = policySchema.parse({ securityDefiner: ['app.current_tenant'] });
    const definer = (name: string, set: string) =>
      `CREATE FUNCTION ${name}() RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER ${set} AS $$ SELECT tenant_id FROM app.sessions WHERE pid = pg_backend_pid() $$;`;
    const codesWith = (sql: string) =>
      analyze(sql, policy)
        .findings.filter((f) => f.category === 'guardrail')
        .map((f) => f.code);

    it('is allowed when listed and its search_path is pinned with pg_temp last', () => {
      expect(codesWith(definer('app.current_tenant', 'SET search_path = pg_catalog, pg_temp'))).toEqual([]);
      expect(codesWith(definer('app.current_tenant', "SET search_path TO 'app, pg_temp'"))).toEqual([]);
    });

    it.each([
      ['not listed', definer('app.other', 'SET search_path = pg_catalog, pg_temp')],
      ['listed under another schema', definer('public.current_tenant', 'SET search_path = pg_catalog, pg_temp')],
      ['without a pinned search_path', definer('app.current_tenant', '')],
      ['with pg_temp searched first', definer('app.current_tenant', 'SET search_path = pg_temp, pg_catalog')],
      ['without pg_temp (searched first for tables)', definer('app.current_tenant', 'SET search_path = pg_catalog')],
      ['with search_path FROM CURRENT', definer('app.current_tenant', 'SET search_path FROM CURRENT')],
    ])('is forbidden %s', (_name, sql) => {
      expect(codesWith(sql)).toContain('SG319');
    });

    it('rejects a policy entry that is not a routine name', () => {
      expect(policySchema.safeParse({ securityDefiner: ['app.f; drop table x'] }).success).toBe(false);
    });
  });
});
