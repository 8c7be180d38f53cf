import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/sql/analyze.ts';

describe('parsing', () => {
  it('turns a syntax error into SG001 with line and column, never a throw', () => {
    const result = analyze('CREATE TABLE t (id bigint);\n\nSELECT * FRM t;');
    expect(result.statements).toEqual([]);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ code: 'SG001', statementIndex: null, span: { line: 3, column: 10 } });
    expect(result.findings[0]?.message).toContain('syntax error at or near "FRM"');
    expect(result.riskClass).toBe('forbidden');
  });

  it('counts columns in characters, not bytes', () => {
    const result = analyze("SELECT 'héllo wörld';\nSELECT 'ü' FROM WHERE;");
    expect(result.findings[0]?.span).toMatchObject({ line: 2, column: 17 });
  });

  it('reports statement spans, kinds, text and transactional flags', () => {
    const sql =
      "-- leading comment\nCREATE TABLE t (name text DEFAULT 'é');\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (email);\nVACUUM users;\nSELECT 1";
    const { statements } = analyze(sql);
    expect(statements.map((s) => [s.kind, s.transactional])).toEqual([
      ['CreateStmt', true],
      ['IndexStmt', false],
      ['VacuumStmt', false],
      ['SelectStmt', true],
    ]);
    expect(statements[0]).toMatchObject({
      sql: "CREATE TABLE t (name text DEFAULT 'é')",
      span: { line: 2, column: 1, endLine: 2 },
    });
    expect(statements[1]?.span.line).toBe(3);
    expect(statements[3]?.sql).toBe('SELECT 1');
    for (const statement of statements) expect(sql.slice(statement.span.start, statement.span.end)).toBe(statement.sql);
  });

  it('points a finding at the offending node inside its statement', () => {
    const result = analyze("CREATE TABLE t (\n  id bigint,\n  secret text DEFAULT pg_read_file('x')\n);");
    expect(result.findings.find((f) => f.code === 'SG306')?.span).toMatchObject({ line: 3, column: 23 });
  });

  it('handles an empty file', () => {
    expect(analyze('')).toEqual({ findings: [], statements: [], riskClass: 'low' });
  });
});
