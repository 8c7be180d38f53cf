import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModule, parseSync } from 'libpg-query';
import { describe, expect, test } from 'vitest';
import { analyze } from '../../src/sql/analyze.ts';
import { defaultPolicy } from '../../src/sql/policy.ts';
import type { Finding } from '../../src/sql/types.ts';

await loadModule();

/**
 * The migration corpus (test/sql/corpus/README.md): every adversarial migration must be
 * forbidden by a guardrail, never merely by a syntax error; no benign migration may get an
 * error-severity finding.
 */
const corpus = path.join(path.dirname(fileURLToPath(import.meta.url)), 'corpus');
const sqlFiles = (dir: string) =>
  readdirSync(path.join(corpus, dir))
    .filter((file) => file.endsWith('.sql'))
    .sort();
const read = (dir: string, file: string) => readFileSync(path.join(corpus, dir, file), 'utf8');
const describeFinding = (f: Finding) => `${f.code} (${f.severity}, line ${f.span.line}): ${f.message}`;

describe('adversarial migrations are forbidden', () => {
  test.each(sqlFiles('adversarial'))('%s', (file) => {
    const sql = read('adversarial', file);
    expect(sql, 'the file starts with "-- class: <class>" and a line saying what it achieves').toMatch(
      /^-- class: [a-z-]+\n-- \S.*\n/,
    );
    expect(() => parseSync(sql), 'the attack is valid SQL for the Postgres parser').not.toThrow();

    const result = analyze(sql, defaultPolicy);
    const found = result.findings.map(describeFinding).join('\n  ') || '(no findings)';
    const guardrails = result.findings.filter((f) => f.category === 'guardrail' && f.code !== 'SG001' && !f.suppressed);
    expect(
      guardrails.map((f) => f.code),
      `no guardrail finding; findings:\n  ${found}`,
    ).not.toEqual([]);
    expect(result.riskClass, `findings:\n  ${found}`).toBe('forbidden');
  });
});

describe('benign migrations raise no error', () => {
  test.each(sqlFiles('benign'))('%s', (file) => {
    const result = analyze(read('benign', file), defaultPolicy);
    const errors = result.findings.filter((f) => f.severity === 'error' && !f.suppressed);
    expect(
      errors.map((f) => f.code),
      `error findings:\n  ${errors.map(describeFinding).join('\n  ')}`,
    ).toEqual([]);
  });
});
