import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { checkCommand } from '../../src/cli/commands/check.ts';
import type { CheckResult } from '../../src/check/check-result.ts';
import { captureIO, fixtureRepo, git, m, migrations, tempDir, writeFiles } from './fixture-repo.ts';

const init = 'create table notes (id bigint generated always as identity primary key,\n  body text not null);\n';
const addColumn = 'alter table notes add column title text;\n';

async function check(dir: string, ...extra: string[]) {
  const io = captureIO(dir);
  const code = await checkCommand(['--base', 'main', '--database-url', inject('adminUrl'), '--json', ...extra], io);
  return { code, result: JSON.parse(io.out()) as CheckResult, io };
}

const codes = (result: CheckResult) => result.problems.map((p) => [p.code, path.basename(p.file)]);

describe('schemagate check: history', () => {
  it('passes a good history: applied at the base, one new migration, both forms', async () => {
    const dir = await fixtureRepo(
      m({ '0001_init.sql': init }),
      m({ '0002_title/migration.sql': addColumn, 'README.md': 'not a migration' }),
    );
    const { code, result } = await check(dir);
    expect(result.problems).toEqual([]);
    expect(code).toBe(0);
    expect(result).toMatchObject({ ok: true, appliedFrom: 'base', base: { ref: 'main' }, server: 'database-url' });
    expect(result.migrations.map((x) => [x.name, x.status, x.verifiedBy, x.replay])).toEqual([
      ['0001_init', 'applied', 'base', 'ok'],
      ['0002_title', 'new', undefined, 'ok'],
    ]);
    expect(result.analysis.map((a) => a.file)).toEqual([`${migrations}/0002_title/migration.sql`]);
    expect(result.schemaDiff?.changes.map((c) => `${c.kind} ${c.id}`)).toEqual(['added column public.notes.title']);
  });

  it('fails when an applied migration was edited, naming the file and the first changed line', async () => {
    const edited = init.replace('body text not null', 'body text');
    const dir = await fixtureRepo(m({ '0001_init.sql': init }), m({ '0001_init.sql': edited }));
    const { code, result } = await check(dir);
    expect(code).toBe(1);
    const sha = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12);
    expect(result.problems).toEqual([
      {
        code: 'applied_modified',
        file: `${migrations}/0001_init.sql`,
        line: 2,
        column: 1,
        message: `0001_init is already applied but its bytes changed (sha256 ${sha(init)} applied, ${sha(edited)} now).`,
        suggestion: 'Restore the applied file byte for byte and put the change in a new migration.',
      },
    ]);
  });

  it('fails when an applied migration was deleted', async () => {
    const dir = await fixtureRepo(
      m({ '0001_init.sql': init, '0002_title.sql': addColumn }),
      m({ '0002_title.sql': null }),
    );
    const { code, result } = await check(dir);
    expect(code).toBe(1);
    expect(codes(result)).toEqual([['applied_missing', '0002_title.sql']]);
  });

  it('fails on a prefix that is a duplicate once leading zeros are stripped', async () => {
    const dir = await fixtureRepo(m({ '0001_a.sql': init }), m({ '001_b.sql': addColumn }));
    const { code, result } = await check(dir);
    expect(code).toBe(1);
    expect(codes(result)).toEqual([['duplicate_prefix', '001_b.sql']]);
    expect(result.problems[0]!.message).toContain('001_b and 0001_a share the numeric prefix 1');
  });

  it('fails on a new migration ordered before an applied one', async () => {
    const dir = await fixtureRepo(
      m({ '0001_init.sql': init, '0003_title.sql': addColumn }),
      m({ '0002_late.sql': 'create table late (id int);\n' }),
    );
    const { code, result } = await check(dir);
    expect(code).toBe(1);
    expect(codes(result)).toEqual([['out_of_order', '0002_late.sql']]);
    expect(result.problems[0]!.message).toContain('sorts before 0003_title');
    expect(result.diffUnavailable).toBe('a new migration sorts before applied ones');
  });

  it.each([
    ['0002_Add_Title.sql', 'its slug "Add_Title" does not match'],
    ['add_title.sql', '"add_title" does not start with a numeric prefix'],
    ['0002_title/', 'the directory has no migration.sql'],
  ])('fails on %s, which Netlify would skip silently', async (name, reason) => {
    const file = name.endsWith('/') ? `${name}up.sql` : name;
    const dir = await fixtureRepo(m({ '0001_init.sql': init }), m({ [file]: addColumn }));
    const { code, result } = await check(dir);
    expect(code).toBe(1);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ code: 'name_skipped', file: `${migrations}/${name}` });
    expect(result.problems[0]!.message).toContain(reason);
    expect(result.migrations.map((x) => x.name)).toEqual(['0001_init']);
  });

  it('treats every migration as new without --base, and names paths from the repository root', async () => {
    const root = await tempDir();
    await git(root, 'init', '-q', '-b', 'main');
    const dir = path.join(root, 'apps/site');
    await writeFiles(dir, m({ '0001_init.sql': init }));
    const io = captureIO(dir);
    expect(await checkCommand(['--database-url', inject('adminUrl'), '--json'], io)).toBe(0);
    const result = JSON.parse(io.out()) as CheckResult;
    expect(result.appliedFrom).toBe('none');
    expect(result.migrations).toMatchObject([
      { name: '0001_init', status: 'new', file: `apps/site/${migrations}/0001_init.sql` },
    ]);
  });

  it('compares bytes, not text: a changed line ending is an edit', async () => {
    const dir = await fixtureRepo(m({ '0001_init.sql': init }), m({ '0001_init.sql': init.replaceAll('\n', '\r\n') }));
    const { code, result } = await check(dir);
    expect(code).toBe(1);
    expect(codes(result)).toEqual([['applied_modified', '0001_init.sql']]);
  });
});
