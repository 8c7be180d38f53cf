import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/sql/analyze.ts';

describe('suppressions', () => {
  it('suppress a finding in the following statement when a reason is given', () => {
    const result = analyze('-- schemagate:allow SG101 lookup table with 12 rows\nCREATE INDEX i ON countries (code);');
    const finding = result.findings.find((f) => f.code === 'SG101');
    expect(finding?.suppressed).toEqual({ reason: 'lookup table with 12 rows' });
    expect(result.riskClass).toBe('low');
  });

  it('apply to the statement a comment sits inside', () => {
    const result = analyze('CREATE INDEX i\n  -- schemagate:allow SG101 tiny table\n  ON countries (code);');
    expect(result.findings.find((f) => f.code === 'SG101')?.suppressed?.reason).toBe('tiny table');
  });

  it('accept block comments and several codes', () => {
    const result = analyze(
      '/* schemagate:allow SG201,SG212 archive table, dependants reviewed */\nDROP TABLE archive CASCADE;',
    );
    expect(result.findings.filter((f) => ['SG201', 'SG212'].includes(f.code)).every((f) => f.suppressed)).toBe(true);
  });

  it('only cover the next statement, not later ones', () => {
    const result = analyze('-- schemagate:allow SG101 small\nCREATE INDEX i ON a (x);\nCREATE INDEX j ON b (y);');
    const open = result.findings.filter((f) => f.code === 'SG101' && !f.suppressed);
    expect(open.map((f) => f.statementIndex)).toEqual([1]);
  });

  it('without a reason suppress nothing and are a finding of their own', () => {
    const result = analyze('-- schemagate:allow SG101\nCREATE INDEX i ON users (email);');
    expect(result.findings.find((f) => f.code === 'SG101')?.suppressed).toBeUndefined();
    expect(result.findings.find((f) => f.code === 'SG002')).toMatchObject({ severity: 'error', statementIndex: 0 });
  });

  it('never suppress a guardrail', () => {
    const result = analyze('-- schemagate:allow SG302 the app role needs it\nGRANT SELECT ON users TO app;');
    expect(result.findings.find((f) => f.code === 'SG302')?.suppressed).toBeUndefined();
    expect(result.findings.map((f) => f.code)).toContain('SG003');
    expect(result.riskClass).toBe('forbidden');
  });

  it('are not read from string literals or dollar-quoted bodies', () => {
    const result = analyze("SELECT '-- schemagate:allow SG101 nope';\nCREATE INDEX i ON users (email);");
    expect(result.findings.find((f) => f.code === 'SG101')?.suppressed).toBeUndefined();
  });
});
