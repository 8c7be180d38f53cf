import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/sql/analyze.ts';
import { ruleCatalog } from '../../src/sql/catalog.ts';
import { defaultPolicy } from '../../src/sql/policy.ts';
import { ruleCases, type RuleCase } from './rule-cases.ts';

// SG115 / SG116 come only from preview measurements and are covered in risk.test.ts;
// SG501-SG504 only from the preview's workload check (test/preview/workload-*.test.ts).
const previewOnly = new Set(['SG115', 'SG116', 'SG501', 'SG502', 'SG503', 'SG504']);

const codesIn = (
  sql: string,
  { existingColumns, functionVolatility }: Pick<RuleCase, 'existingColumns' | 'functionVolatility'>,
) =>
  analyze(sql, defaultPolicy, { existingColumns, functionVolatility })
    .findings.filter((f) => !f.suppressed)
    .map((f) => f.code);

describe('rule catalog', () => {
  it('has a trigger and a quiet fixture for every rule', () => {
    const missing = ruleCatalog.map((rule) => rule.code).filter((code) => !previewOnly.has(code) && !ruleCases[code]);
    expect(missing).toEqual([]);
    for (const [code, cases] of Object.entries(ruleCases)) {
      expect(cases.triggers.length, code).toBeGreaterThan(0);
      expect(cases.quiet.length, code).toBeGreaterThan(0);
    }
  });

  it('uses unique, well-formed codes and names', () => {
    const codes = ruleCatalog.map((rule) => rule.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(ruleCatalog.map((rule) => rule.name)).size).toBe(codes.length);
    for (const rule of ruleCatalog) {
      expect(rule.code).toMatch(/^SG\d{3}$/);
      expect(rule.why.length).toBeGreaterThan(20);
      expect(rule.suggestion.length).toBeGreaterThan(5);
      if (rule.category === 'guardrail') expect([rule.severity, rule.locked]).toEqual(['error', true]);
    }
  });
});

for (const [code, cases] of Object.entries(ruleCases)) {
  describe(code, () => {
    it.each(cases.triggers)('triggers on %s', (sql) => {
      expect(codesIn(sql, cases)).toContain(code);
    });
    it.each(cases.quiet)('stays quiet on %s', (sql) => {
      expect(codesIn(sql, cases)).not.toContain(code);
    });
  });
}
