import { describe, expect, it } from 'vitest';
import { nextMigrationFileName, parseMigrationPath } from '../../src/domain/migration-files.ts';

describe('Netlify Database migration names', () => {
  it('reads flat files and the directory form', () => {
    expect(parseMigrationPath('0001_init.sql')).toEqual({
      name: '0001_init',
      prefix: '0001',
      order: '1',
      slug: 'init',
    });
    expect(parseMigrationPath('20261124103000_add-notes/migration.sql')).toMatchObject({
      name: '20261124103000_add-notes',
      order: '20261124103000',
    });
  });

  it.each([
    'init.sql',
    '0001_Init.sql',
    '0001_add notes.sql',
    '0001_.sql',
    '0001_x.txt',
    '0001_x/other.sql',
    'a/b/c.sql',
    '0001_x',
  ])('ignores %s, which Netlify would not apply', (file) => expect(parseMigrationPath(file)).toBeUndefined());

  it('names a new file after the UTC time', () => {
    expect(nextMigrationFileName(new Date('2026-11-24T10:30:00.900Z'), 'add_notes', new Set())).toBe(
      '20261124103000_add_notes.sql',
    );
  });

  it('moves a second forward while the prefix, zeros stripped, is taken', () => {
    const taken = new Set(['20261124103000', '20261124103001']);
    expect(nextMigrationFileName(new Date('2026-11-24T10:30:00Z'), 'x', taken)).toBe('20261124103002_x.sql');
  });

  it('refuses a slug Netlify would skip', () => {
    expect(() => nextMigrationFileName(new Date(), 'Add Notes', new Set())).toThrow(/must match/);
  });
});
