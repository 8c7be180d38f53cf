import type { Finding } from '../../sql/types.ts';
import { failingFindings, type CheckCode, type CheckProblem, type CheckResult } from '../check-result.ts';

interface TestCase {
  name: string;
  seconds?: number;
  failures: Array<{ type: string; message: string; text: string }>;
  skipped?: string;
  output?: string;
}

const suiteOf: Record<CheckCode, 'names' | 'immutability' | 'replay'> = {
  name_skipped: 'names',
  duplicate_prefix: 'names',
  out_of_order: 'names',
  applied_modified: 'immutability',
  applied_missing: 'immutability',
  apply_failed: 'replay',
};

/**
 * JUnit XML for CI test reporters: one testsuite per check (names,
 * immutability, replay, analysis), one testcase per file, a failure for each
 * problem and for findings at or above the fail level.
 *
 * @example
 * await writeFile('schemagate-check.xml', renderCheckJunit(result));
 */
export function renderCheckJunit(result: CheckResult): string {
  const problems = (suite: string, file: string) =>
    result.problems.filter((p) => suiteOf[p.code] === suite && p.file === file).map(problemFailure);
  const files = (list: string[]) => [...new Set(list)].sort();
  const migrations = result.migrations;
  const suites: Array<[string, TestCase[]]> = [
    [
      'names',
      files([
        ...migrations.map((m) => m.file),
        ...result.problems.filter((p) => suiteOf[p.code] === 'names').map((p) => p.file),
      ]).map((file) => ({ name: file, failures: problems('names', file) })),
    ],
    [
      'immutability',
      files([
        ...migrations.filter((m) => m.status === 'applied').map((m) => m.file),
        ...result.problems.filter((p) => p.code === 'applied_missing').map((p) => p.file),
      ]).map((file) => ({
        name: file,
        failures: problems('immutability', file),
      })),
    ],
    [
      'replay',
      migrations.map((m) => ({
        name: m.file,
        ...(m.replayMs !== undefined ? { seconds: m.replayMs / 1000 } : {}),
        failures: problems('replay', m.file),
        ...(m.replay === 'not_reached' ? { skipped: 'not reached: an earlier migration failed' } : {}),
      })),
    ],
    [
      'analysis',
      result.analysis.map(({ file, result: analysis }) => ({
        name: file,
        failures: failingFindings(analysis.findings, result.failLevel).map(findingFailure(file)),
        output: analysis.findings
          .map(
            (f) =>
              `${file}:${f.span.line}:${f.span.column}: ${f.severity} ${f.code} ${f.message}${f.suppressed ? ` (suppressed: ${f.suppressed.reason})` : ''}`,
          )
          .join('\n'),
      })),
    ],
  ];
  const total = (pick: (c: TestCase) => number) =>
    suites.reduce((n, [, cases]) => n + cases.reduce((m, c) => m + pick(c), 0), 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="schemagate check" tests="${total(() => 1)}" failures="${total((c) => (c.failures.length > 0 ? 1 : 0))}" time="${(result.durationMs / 1000).toFixed(3)}">`,
  ];
  for (const [name, cases] of suites) {
    const failures = cases.filter((c) => c.failures.length > 0).length;
    const skipped = cases.filter((c) => c.skipped).length;
    lines.push(
      `  <testsuite name="${attr(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">`,
    );
    for (const c of cases) lines.push(...testcase(name, c));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function testcase(suite: string, c: TestCase): string[] {
  const open = `    <testcase classname="schemagate.${attr(suite)}" name="${attr(c.name)}"${c.seconds !== undefined ? ` time="${c.seconds.toFixed(3)}"` : ''}`;
  if (c.failures.length === 0 && !c.skipped && !c.output) return [`${open}/>`];
  const body = [`${open}>`];
  if (c.skipped) body.push(`      <skipped message="${attr(c.skipped)}"/>`);
  // A testcase has one failure in most reporters: the first gives type and message, the text lists them all.
  const [first] = c.failures;
  if (first)
    body.push(
      `      <failure type="${attr(first.type)}" message="${attr(first.message)}">${text(c.failures.map((f) => f.text).join('\n\n'))}</failure>`,
    );
  if (c.output) body.push(`      <system-out>${text(c.output)}</system-out>`);
  body.push('    </testcase>');
  return body;
}

function problemFailure(p: CheckProblem) {
  const where = p.line ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  return { type: p.code, message: p.message, text: `${where}: ${p.code} ${p.message}\nFix: ${p.suggestion}` };
}

const findingFailure = (file: string) => (f: Finding) => ({
  type: f.code,
  message: `${f.code}: ${f.message}`,
  text: `${file}:${f.span.line}:${f.span.column}: ${f.severity} ${f.code} ${f.message}\nSafer: ${f.suggestion}`,
});

// XML 1.0 cannot carry most control characters even escaped; SQL in a message might hold one.
const invalidXml = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function text(value: string): string {
  return value.replace(invalidXml, '\uFFFD').replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function attr(value: string): string {
  return text(value)
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    .replaceAll('\n', '&#10;')
    .replaceAll('\r', '&#13;')
    .replaceAll('\t', '&#9;');
}
