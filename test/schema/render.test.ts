import { describe, expect, it } from 'vitest';
import { diffSchemas } from '../../src/schema/diff.ts';
import { lineDiff } from '../../src/schema/line-diff.ts';
import { toSchemaModel, type ColumnDef, type IndexDef, type TableDef, type ViewDef } from '../../src/schema/model.ts';
import { renderDiffMarkdown, renderDiffText, renderDriftMarkdown } from '../../src/schema/render.ts';

const table = (name: string): TableDef => ({
  objectType: 'table',
  id: `table ${name}`,
  kind: 'table',
  unlogged: false,
  partitionKey: null,
  partitionOf: null,
  partitionBound: null,
  rowSecurity: false,
  forceRowSecurity: false,
  options: [],
});
const column = (table: string, name: string, position: number, type: string, nullable = true): ColumnDef => ({
  objectType: 'column',
  id: `column ${table}.${name}`,
  table,
  position,
  type,
  nullable,
  default: null,
  identity: null,
  generated: null,
  generatedKind: null,
  collation: null,
});
const index = (name: string, table: string): IndexDef => ({
  objectType: 'index',
  id: `index ${name}`,
  table,
  definition: `CREATE INDEX ${name.split('.')[1]} ON ${table} USING btree (id)`,
  unique: false,
  valid: true,
  predicate: null,
});
const view = (name: string, definition: string): ViewDef => ({
  objectType: 'view',
  id: `view ${name}`,
  definition,
  options: [],
});

const before = toSchemaModel([
  table('public.users'),
  column('public.users', 'id', 1, 'integer', false),
  column('public.users', 'email', 2, 'character varying(100)'),
  index('public.old_idx', 'public.users'),
  view('public.active', 'SELECT users.id\n   FROM public.users;'),
]);
const after = toSchemaModel([
  table('public.users'),
  column('public.users', 'id', 1, 'integer', false),
  column('public.users', 'email', 2, 'text', false),
  table('public.orders'),
  view('public.active', 'SELECT users.id\n   FROM public.users\n  WHERE users.id > 0;'),
]);
const diff = diffSchemas(before, after);

describe('renderDiffText', () => {
  it('writes one line per change', () => {
    expect(renderDiffText(diff).split('\n')).toEqual([
      '+ table public.orders',
      '~ column public.users.email: type character varying(100) -> text; nullable true -> false',
      '- index public.old_idx',
      '~ view public.active: definition changed',
    ]);
  });

  it('says so when nothing changed', () => {
    expect(renderDiffText(diffSchemas(before, before))).toBe('No schema changes.');
  });
});

describe('renderDiffMarkdown', () => {
  it('groups changes by object type and shows long definitions as a line diff', () => {
    expect(renderDiffMarkdown(diff).split('\n')).toEqual([
      '### Schema changes',
      '',
      '1 added, 1 removed, 2 changed.',
      '',
      '#### Tables',
      '',
      '- added `public.orders`',
      '',
      '#### Columns',
      '',
      '- changed `public.users.email`: type `character varying(100)` -> `text`; nullable `true` -> `false`',
      '',
      '#### Indexes',
      '',
      '- removed `public.old_idx`',
      '',
      '#### Views',
      '',
      '- changed `public.active`: definition',
      '',
      '  definition:',
      '',
      '  ```diff',
      '   SELECT users.id',
      '  -   FROM public.users;',
      '  +   FROM public.users',
      '  +  WHERE users.id > 0;',
      '  ```',
    ]);
  });

  it('says "No schema changes." when the diff is empty', () => {
    expect(renderDiffMarkdown({ changes: [] })).toBe('### Schema changes\n\nNo schema changes.');
  });

  it('keeps backticks in names inside their code span', () => {
    const weird = toSchemaModel([table('public."a`b"')]);
    expect(renderDiffMarkdown(diffSchemas(toSchemaModel([]), weird))).toContain('- added ``public."a`b"``');
  });
});

describe('renderDriftMarkdown', () => {
  it('names each object that differs between the replayed history and the preview', () => {
    expect(renderDriftMarkdown(diffSchemas(before, after)).split('\n')).toEqual([
      '### Schema drift',
      '',
      "Replaying the migration history from empty does not give the preview's schema: 4 objects differ.",
      '',
      '- `table public.orders`: only in the preview',
      '- `column public.users.email`: type is `character varying(100)` in the history, `text` in the preview; nullable is `true` in the history, `false` in the preview',
      '- `index public.old_idx`: only in the replayed history',
      '- `view public.active`: definition differs',
    ]);
  });

  it('says there is no drift when the schemas are equal', () => {
    expect(renderDriftMarkdown({ changes: [] })).toBe(
      "### Schema drift\n\nNo drift: replaying the migration history from empty gives the preview's schema.",
    );
  });
});

describe('lineDiff', () => {
  it('keeps common lines and marks removed and added ones', () => {
    expect(lineDiff('a\nb\nc', 'a\nx\nc\nd')).toEqual([' a', '-b', '+x', ' c', '+d']);
  });
});
