import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { checkCommand } from '../../src/cli/commands/check.ts';
import type { CheckResult } from '../../src/check/check-result.ts';
import { checkCommentMarker } from '../../src/check/render/render-markdown.ts';
import { captureIO, fixtureRepo, m, migrations } from './fixture-repo.ts';
import { parseXml, type XmlElement } from './xml-tree.ts';

const init = 'create table big_table (id bigint primary key, x int);\n';
const edited = 'create table big_table (id bigint primary key, x int, y int);\n';
// A comment full of characters every format must escape.
const dangerous =
  '-- <b>"quotes" & \'apostrophes\' | pipes % 100</b>\ncreate index on big_table (x);\ndrop table big_table;\n';
const short = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

let dir: string;
beforeAll(async () => {
  dir = await fixtureRepo(m({ '0001_init.sql': init }), m({ '0001_init.sql': edited, '0002_danger.sql': dangerous }));
});

async function run(...args: string[]) {
  const io = captureIO(dir);
  const code = await checkCommand(['--base', 'main', '--database-url', inject('adminUrl'), ...args], io);
  return { code, out: io.out(), err: io.err() };
}

const children = (element: XmlElement, name: string) => element.children.filter((c) => c.name === name);

describe('schemagate check output formats', () => {
  it('--json prints the structured result', async () => {
    const { code, out } = await run('--json');
    expect(code).toBe(1);
    const result = JSON.parse(out) as CheckResult;
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.code)).toEqual(['applied_modified']);
    expect(result.analysis[0]!.result.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['SG101', 'SG201']));
    // Only kind, type, id and details of schema changes: the catalog objects stay out.
    expect(Object.keys(result.schemaDiff!.changes[0]!).sort()).toEqual(['id', 'kind', 'objectType']);
  });

  it('--format markdown is a PR comment with the marker, counts, codes, suggestions and the schema diff', async () => {
    const { code, out } = await run('--format', 'markdown');
    expect(code).toBe(1);
    expect(out.startsWith(`${checkCommentMarker}\n## ❌ schemagate check failed\n`)).toBe(true);
    expect(out).toContain(
      '1 history problem, 1 error, 1 warning, 1 info (fail level `error`). 2 migrations: 1 applied at main (',
    );
    expect(out).toContain(`| 🛑 | \`applied_modified\` | \`${migrations}/0001_init.sql\` | 1 |`);
    expect(out).toContain(`#### \`${migrations}/0002_danger.sql\``);
    expect(out).toMatch(/\| ⚠️ \| `SG101` \| 2 \| CREATE INDEX on big_table .* \| CREATE INDEX CONCURRENTLY/);
    expect(out).toMatch(/\| 🛑 \| `SG201` \(fails\) \| 3 \|/);
    expect(out).toContain('### Schema changes by the new migrations');
    expect(out).toContain('- removed `public.big_table`');
  });

  it('--format junit is well-formed XML with one suite per check and failures at the fail level', async () => {
    const { code, out } = await run('--format', 'junit');
    expect(code).toBe(1);
    const root = parseXml(out);
    expect(root.name).toBe('testsuites');
    const suites = children(root, 'testsuite');
    expect(suites.map((s) => [s.attributes.name, s.attributes.tests, s.attributes.failures])).toEqual([
      ['names', '2', '0'],
      ['immutability', '1', '1'],
      ['replay', '2', '0'],
      ['analysis', '1', '1'],
    ]);
    expect(root.attributes).toMatchObject({ tests: '6', failures: '2' });
    const immutability = children(suites[1]!, 'testcase')[0]!;
    expect(immutability.attributes.name).toBe(`${migrations}/0001_init.sql`);
    expect(children(immutability, 'failure')[0]!.attributes.type).toBe('applied_modified');
    const analysis = children(suites[3]!, 'testcase')[0]!;
    const failure = children(analysis, 'failure')[0]!;
    expect(failure.attributes).toMatchObject({
      type: 'SG201',
      message: 'SG201: DROP TABLE big_table deletes the table and its rows.',
    });
    expect(failure.text).toContain('Safer: ');
    expect(failure.text).not.toContain('SG101');
    expect(children(analysis, 'system-out')[0]!.text).toContain(`${migrations}/0002_danger.sql:2:17: warning SG101`);
  });

  it('--format github prints exact workflow commands', async () => {
    const { code, out } = await run('--format', 'github');
    expect(code).toBe(1);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `::error file=${migrations}/0001_init.sql,line=1,col=1,title=applied_modified::0001_init is already applied but its bytes changed (sha256 ${short(init)} applied, ${short(edited)} now). Fix: Restore the applied file byte for byte and put the change in a new migration.`,
    );
    expect(
      lines.filter((l) => l.startsWith(`::warning file=${migrations}/0002_danger.sql,line=2,col=17,`)),
    ).toHaveLength(1);
    expect(lines).toContain(
      `::error file=${migrations}/0002_danger.sql,line=3,col=1,endLine=3,endColumn=21,title=SG201 destructive::DROP TABLE big_table deletes the table and its rows. Fix: Use expand/contract: stop using the object in the application first, deploy, then drop it in a later migration.`,
    );
    expect(lines.every((l) => l.startsWith('::'))).toBe(true);
  });

  it('text is the default, and --report writes other formats from the same run', async () => {
    const { code, out } = await run(
      '--report',
      'markdown=comment.md',
      '--report',
      `junit=${path.join(dir, 'check.xml')}`,
    );
    expect(code).toBe(1);
    expect(out).toContain(`${migrations}/0001_init.sql:1:1: error applied_modified`);
    expect(out).toMatch(/FAILED: 1 history problem, 1 error, 1 warning, 1 info \(fail level error\)/);
    expect(await readFile(path.join(dir, 'comment.md'), 'utf8')).toContain(checkCommentMarker);
    expect(parseXml(await readFile(path.join(dir, 'check.xml'), 'utf8')).name).toBe('testsuites');
  });
});

describe('the strict XML reader used above', () => {
  it.each([
    ['<a><b></a></b>', /closes/],
    ['<a>1 & 2</a>', /bare &/],
    ['<a x="1" x="2"/>', /duplicate attribute/],
    ['<a>x > y</a>', /unescaped >/],
    ['<a>', /unclosed/],
    ['<a/><b/>', /second root/],
  ])('rejects %s', (xml, error) => {
    expect(() => parseXml(xml)).toThrow(error);
  });
});
