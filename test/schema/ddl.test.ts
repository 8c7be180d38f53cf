import { describe, expect, it } from 'vitest';
import { changeDdl, objectDdl } from '../../src/schema/ddl.ts';
import { diffSchemas } from '../../src/schema/diff.ts';
import { introspectSchema } from '../../src/schema/introspect.ts';
import { objectTypes, toSchemaModel, type SchemaObject } from '../../src/schema/model.ts';
import { createScratchDatabase } from '../support/database.ts';
import { diffOf, fixtureSql, scratchWith } from './schema-fixture.ts';

describe('objectDdl', () => {
  // The strongest check of DDL meant for reviewers: run it, and the catalog
  // reads back the same objects.
  it('gives DDL that rebuilds every object of the fixture with the same attributes', async () => {
    const { pool } = await scratchWith(...fixtureSql);
    const model = await introspectSchema(pool);
    const objects = Object.values(model.objects);
    // A table's DDL names no columns (they are objects of their own), so a
    // partitioned table, whose key needs them, and its partitions are left
    // out; plpgsql and public are in every database already.
    const partitioned = new Set(
      objects.flatMap((o) =>
        o.objectType === 'table' && (o.partitionOf || o.partitionKey) ? [o.id.slice('table '.length)] : [],
      ),
    );
    const rebuilt = objects.filter(
      (o) => !partitioned.has(o.objectType === 'table' ? o.id.slice('table '.length) : 'table' in o ? o.table : ''),
    );
    expect(rebuilt.length).toBeGreaterThan(30);
    // Columns in their table's order; keys before the foreign keys that need them.
    const rank = (o: SchemaObject) =>
      objectTypes.indexOf(o.objectType) * 1000 +
      (o.objectType === 'column' ? o.position : 0) +
      (o.objectType === 'constraint' && o.type !== 'primary key' && o.type !== 'unique' ? 1 : 0);
    const statements = rebuilt
      .filter((o) => !['extension plpgsql', 'schema public'].includes(o.id))
      .sort((a, b) => rank(a) - rank(b))
      .flatMap((o) => objectDdl(o).split(/\n(?=alter sequence)/));
    // Ownership of a sequence needs its column: last.
    const ordered = [
      ...statements.filter((s) => !s.startsWith('alter sequence')),
      ...statements.filter((s) => s.startsWith('alter sequence')),
    ];

    const empty = await createScratchDatabase();
    for (const statement of ordered)
      await empty.pool
        .query(statement)
        .catch((error: Error) => Promise.reject(new Error(`${error.message}\n${statement}`)));
    expect(diffSchemas(toSchemaModel(rebuilt), await introspectSchema(empty.pool)).changes).toEqual([]);
  });

  it('shows a changed column before and after', async () => {
    const diff = await diffOf(
      'create table t (id int not null, note text)',
      "alter table t alter column note set default 'none', alter column id type bigint",
    );
    const byId = Object.fromEntries(diff.changes.map((c) => [c.id, changeDdl(c)]));
    expect(byId['column public.t.id']).toEqual({
      before: 'alter table public.t add column id integer not null;',
      after: 'alter table public.t add column id bigint not null;',
    });
    expect(byId['column public.t.note']).toEqual({
      before: 'alter table public.t add column note text;',
      after: "alter table public.t add column note text default 'none'::text;",
    });
  });
});
