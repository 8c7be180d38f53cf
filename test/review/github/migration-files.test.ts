import { describe, expect, it } from 'vitest';
import { migrationFileName } from '../../../src/review/github/migration-files.ts';
import { useGithubStandin } from '../../support/github-standin/expect-contract.ts';
import { standinProvider } from './standin-client.ts';

const AT = new Date('2026-11-24T10:30:00.750Z');

describe('migrationFileName', () => {
  it('stamps the UTC time to the second', () => {
    expect(migrationFileName(AT, 'add_notes', new Set())).toBe('20261124103000_add_notes.sql');
    expect(migrationFileName(new Date('2026-01-02T03:04:05+02:00'), 'x', new Set())).toBe('20260102010405_x.sql');
  });

  it('moves on one second at a time until the prefix is free', () => {
    const taken = new Set(['20261124103000', '20261124103001']);
    expect(migrationFileName(AT, 'add_notes', taken)).toBe('20261124103002_add_notes.sql');
  });

  it('compares prefixes with leading zeros stripped', () => {
    expect(migrationFileName(AT, 'a', new Set(['0020261124103000']))).toBe('20261124103001_a.sql');
    expect(migrationFileName(AT, 'a', new Set(['0020261124103001']))).toBe('20261124103000_a.sql');
  });

  it('carries a bump across minute, day and year boundaries', () => {
    expect(migrationFileName(new Date('2026-12-31T23:59:59Z'), 'eoy', new Set(['20261231235959']))).toBe(
      '20270101000000_eoy.sql',
    );
  });

  it.each(['Add_Notes', 'add notes', 'notes.sql', 'ümlaut', '', '../x'])('refuses the slug %j', (slug) => {
    expect(() => migrationFileName(AT, slug, new Set())).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
  });

  it('accepts digits, "_" and "-" in a slug', () => {
    expect(migrationFileName(AT, 'v2_add-notes', new Set())).toBe('20261124103000_v2_add-notes.sql');
  });
});

describe('listMigrationPrefixes', () => {
  const standin = useGithubStandin({
    files: {
      'README.md': '# shop\n',
      'netlify/database/migrations/20260101000000_init.sql': 'create table a (id int);\n',
      'netlify/database/migrations/0020260102000000_padded.sql': 'select 1;\n',
      'netlify/database/migrations/20260103000000_dir_form/migration.sql': 'select 2;\n',
      'netlify/database/migrations/README.md': 'not a migration\n',
      'netlify/database/migrations/notes.sql': 'no prefix\n',
    },
  });

  it('reads flat files and directories and ignores other entries', async () => {
    const provider = standinProvider(standin.current);

    const prefixes = await provider.listMigrationPrefixes('main');

    expect([...prefixes].sort()).toEqual(['0020260102000000', '20260101000000', '20260103000000']);
    expect(migrationFileName(new Date('2026-01-02T00:00:00Z'), 'next', prefixes)).toBe('20260102000001_next.sql');
  });

  it('finds none when the directory does not exist at the ref', async () => {
    const github = standin.current;
    await github.state.git.setRef(
      'refs/heads/empty',
      await github.state.git.writeCommit(undefined, { 'README.md': 'x\n' }, 'orphan', github.state.identity('acme')),
      undefined,
    );

    expect(await standinProvider(github).listMigrationPrefixes('empty')).toEqual(new Set());
  });
});
