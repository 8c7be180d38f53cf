import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/sql/analyze.ts';
import { defaultPolicy, policySchema } from '../../src/sql/policy.ts';
import { applyPreview, riskClass, type StatementMeasurement } from '../../src/sql/risk.ts';

const measure = (
  statementIndex: number,
  rows: number,
  extra: Partial<StatementMeasurement> = {},
): StatementMeasurement => ({
  statementIndex,
  table: 'public.users',
  rows,
  bytes: rows * 100,
  rewritten: false,
  locks: [],
  durationMs: 5,
  ...extra,
});

describe('risk class', () => {
  it.each([
    ['SELECT 1;', 'low'],
    ['CREATE TABLE t (name varchar(20));', 'low'],
    ['CREATE INDEX i ON users (email);', 'medium'],
    ['DROP TABLE users;', 'high'],
    ['DROP TABLE users; GRANT SELECT ON t TO app;', 'forbidden'],
  ])('%s is %s', (sql, expected) => {
    expect(analyze(sql).riskClass).toBe(expected);
  });

  it('ignores suppressed findings', () => {
    expect(analyze('-- schemagate:allow SG201 replaced by orders_v2 last release\nDROP TABLE orders;').riskClass).toBe(
      'low',
    );
  });

  it('follows policy severity overrides', () => {
    const policy = policySchema.parse({ rules: { SG101: 'error', SG404: 'off' } });
    expect(analyze('CREATE INDEX i ON users (email);', policy).riskClass).toBe('high');
    expect(analyze('CREATE TABLE t (name varchar(20));', policy).findings).toEqual([]);
  });

  it('of no findings is low', () => {
    expect(riskClass([])).toBe('low');
  });
});

describe('applyPreview', () => {
  const sql = 'CREATE INDEX i ON users (email);';

  it('makes a non-concurrent index on a small table info', () => {
    const result = applyPreview(analyze(sql), [measure(0, 120)], defaultPolicy);
    expect(result.findings.find((f) => f.code === 'SG101')).toMatchObject({ severity: 'info' });
    expect(result.findings.find((f) => f.code === 'SG101')?.message).toContain('120 rows');
    expect(result.riskClass).toBe('low');
  });

  it('makes it an error on a large table', () => {
    const result = applyPreview(analyze(sql), [measure(0, 5_000_000)], defaultPolicy);
    expect(result.findings.find((f) => f.code === 'SG101')?.severity).toBe('error');
    expect(result.riskClass).toBe('high');
  });

  it('leaves it alone between the thresholds and without measurements', () => {
    expect(applyPreview(analyze(sql), [measure(0, 50_000)], defaultPolicy).findings[0]?.severity).toBe('warning');
    expect(applyPreview(analyze(sql), [], defaultPolicy).findings[0]?.severity).toBe('warning');
  });

  it("judges by production's row estimate when the preview read it, whatever the branch held", () => {
    const sampled = applyPreview(analyze(sql), [measure(0, 1000, { productionRows: 5_000_000 })], defaultPolicy);
    expect(sampled.findings[0]).toMatchObject({ severity: 'error' });
    expect(sampled.findings[0]?.message).toContain(
      'Production: public.users has about 5000000 rows (1000 on the preview branch).',
    );
    expect(sampled.riskClass).toBe('high');
    expect(applyPreview(analyze(sql), [measure(0, 1000, { productionRows: 200_000 })], defaultPolicy).riskClass).toBe(
      'medium',
    );
    expect(applyPreview(analyze(sql), [measure(0, 1000, { productionRows: 300 })], defaultPolicy).riskClass).toBe(
      'low',
    );
  });

  it('uses the configured thresholds', () => {
    const policy = policySchema.parse({ thresholds: { smallTableRows: 10, largeTableRows: 100 } });
    expect(applyPreview(analyze(sql, policy), [measure(0, 150)], policy).findings[0]?.severity).toBe('error');
  });

  it('does not touch rules that are not size-sensitive', () => {
    const result = applyPreview(analyze('DROP TABLE users;'), [measure(0, 3)], defaultPolicy);
    expect(result.findings.find((f) => f.code === 'SG201')?.severity).toBe('error');
  });

  it('reports an observed rewrite of a big table that static analysis missed', () => {
    const static_ = analyze('ALTER TABLE users ALTER COLUMN name SET DATA TYPE text;', defaultPolicy, {
      existingColumns: { users: { name: 'varchar(10)' } },
    });
    expect(static_.findings.filter((f) => f.category === 'lock').map((f) => f.code)).toEqual(['SG114']);
    const result = applyPreview(static_, [measure(0, 2_000_000, { rewritten: true })], defaultPolicy);
    expect(result.findings.find((f) => f.code === 'SG115')).toMatchObject({ severity: 'error', statementIndex: 0 });
    expect(result.riskClass).toBe('high');
  });

  it('reports a long ACCESS EXCLUSIVE lock', () => {
    const result = applyPreview(
      analyze('ALTER TABLE users ADD COLUMN a text;'),
      [measure(0, 50_000, { durationMs: 4000, locks: [{ mode: 'AccessExclusiveLock', relation: 'public.users' }] })],
      defaultPolicy,
    );
    expect(result.findings.find((f) => f.code === 'SG116')?.severity).toBe('warning');
  });
});
