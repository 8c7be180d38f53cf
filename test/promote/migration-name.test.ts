import { describe, expect, it } from 'vitest';
import { ledgerName } from '../../src/promote/migration-name.ts';

describe('ledgerName', () => {
  const createdAt = new Date('2026-11-24T10:30:00Z');
  it("uses the migration file's Netlify name, flat or directory form", () => {
    expect(
      ledgerName({ migrationPath: 'netlify/database/migrations/20261124103000_add_notes.sql', name: 'x', createdAt }),
    ).toBe('20261124103000_add_notes');
    expect(
      ledgerName({ migrationPath: 'netlify/database/migrations/0007_init/migration.sql', name: 'x', createdAt }),
    ).toBe('0007_init');
  });
  it('falls back to the creation time and the proposal name, stable across retries', () => {
    expect(ledgerName({ migrationPath: null, name: 'add_notes', createdAt })).toBe('20261124103000_add_notes');
  });
});
