import { describe, expect, it } from 'vitest';
import type { StatementResult } from '../../src/preview/apply-result.ts';
import type { WorkloadCheckResult, WorkloadIssue } from '../../src/preview/workload-compat.ts';
import { withWorkloadFindings } from '../../src/preview/workload-findings.ts';
import { analyze } from '../../src/sql/analyze.ts';
import { policySchema } from '../../src/sql/policy.ts';

const sql = 'create table audit (id int);\nalter table public.users drop column nickname;\n';
const issue = (code: WorkloadIssue['code'], relations = ['users']): WorkloadIssue => ({
  code,
  statementId: 'q1',
  query: 'select  id,\n nickname from users where id = $1',
  calls: 12,
  message: `Production query q1 (12 calls) ${code}.`,
  relations,
});
const result = (issues: WorkloadIssue[]): WorkloadCheckResult => ({
  source: 'pg_stat_statements',
  checked: 3,
  skipped: [],
  issues,
  durationMs: 5,
  perStatementMs: 1,
});
const measured = (index: number, relation: string, mode: string): StatementResult =>
  ({
    index,
    line: index + 1,
    column: 1,
    kind: 'AlterTableStmt',
    text: '',
    ok: true,
    durationMs: 1,
    rowCount: null,
    locks: [{ relation, mode }],
    rewritten: [],
    tables: [],
  }) as unknown as StatementResult;

describe('withWorkloadFindings', () => {
  it('adds the issues as findings with the query on one line, and they count in the risk class', () => {
    const analysis = analyze('create table audit (id int);\n', policySchema.parse({}));
    expect(analysis.riskClass).toBe('low');
    const refined = withWorkloadFindings(analysis, result([issue('SG503'), issue('SG501')]), policySchema.parse({}));
    expect(refined.findings.map((f) => [f.code, f.severity, f.category])).toEqual([
      ['SG503', 'warning', 'destructive'],
      ['SG501', 'error', 'destructive'],
    ]);
    expect(refined.findings[1]!.message).toBe(
      'Production query q1 (12 calls) SG501. Query: select id, nickname from users where id = $1',
    );
    expect(refined.riskClass).toBe('high');
    expect(withWorkloadFindings(analysis, result([issue('SG503')]), policySchema.parse({})).riskClass).toBe('medium');
  });

  it("follows the policy's rule levels: off drops a finding, a level replaces the rule's", () => {
    const analysis = analyze('create table audit (id int);\n', policySchema.parse({}));
    const policy = policySchema.parse({ rules: { SG501: 'warning', SG503: 'off' } });
    const refined = withWorkloadFindings(analysis, result([issue('SG501'), issue('SG503')]), policy);
    expect(refined.findings.map((f) => [f.code, f.severity])).toEqual([['SG501', 'warning']]);
    expect(refined.riskClass).toBe('medium');
  });

  it('points at the first statement that took an ACCESS EXCLUSIVE lock on a table the query names, else at the whole migration', () => {
    const analysis = analyze(sql, policySchema.parse({}));
    const statements = [
      measured(0, 'public.users', 'RowExclusiveLock'),
      measured(1, 'public.users', 'AccessExclusiveLock'),
    ];
    const [onLock] = withWorkloadFindings(
      analysis,
      result([issue('SG501')]),
      policySchema.parse({}),
      statements,
    ).findings.filter((f) => f.code === 'SG501');
    expect(onLock).toMatchObject({ statementIndex: 1, span: { line: 2 } });
    const [elsewhere] = withWorkloadFindings(
      analysis,
      result([issue('SG501', ['orders'])]),
      policySchema.parse({}),
      statements,
    ).findings.filter((f) => f.code === 'SG501');
    expect(elsewhere).toMatchObject({ statementIndex: null, span: { line: 1, endLine: 2 } });
  });

  it('leaves the analysis alone without issues', () => {
    const analysis = analyze(sql, policySchema.parse({}));
    expect(withWorkloadFindings(analysis, undefined, policySchema.parse({}))).toBe(analysis);
    expect(withWorkloadFindings(analysis, result([]), policySchema.parse({}))).toBe(analysis);
  });
});
