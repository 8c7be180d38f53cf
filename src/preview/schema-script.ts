import { objectDdl } from '../schema/ddl.ts';
import type { ColumnDef, ConstraintDef, SchemaModel, SchemaObject, SequenceDef, TableDef } from '../schema/model.ts';

/** One statement of the script, and what it creates. */
export interface ScriptStatement {
  id: string;
  sql: string;
}

/**
 * A schema model as DDL in the order a base copy runs it, split where the
 * data goes in: `preData` (containers, types, routines, sequences, tables and
 * columns) before the rows are copied, `postData` (constraints, views,
 * indexes, triggers, policies, row security) after, as pg_dump splits
 * its sections: constraints and indexes are built once over the copied rows,
 * triggers do not fire on them, materialized views fill from them.
 *
 * Routines come before tables (column defaults and checks call them) and
 * are created with `check_function_bodies = off`; a routine whose signature
 * names a table's row type fails there and is retried after the tables (see
 * runScript). Partitions inherit their parent's columns, constraints and
 * indexes, so those are created once, on the parent.
 *
 * @example
 * const { preData, postData } = schemaScript(await introspectSchema(production, { excludeSchemas: [] }), { extensionSchemas });
 */
export function schemaScript(
  model: SchemaModel,
  options: { extensionSchemas: Map<string, string> },
): { preData: ScriptStatement[]; postData: ScriptStatement[] } {
  const objects = Object.values(model.objects);
  const of = <T extends SchemaObject['objectType']>(type: T) =>
    objects.filter((o): o is Extract<SchemaObject, { objectType: T }> => o.objectType === type);
  const tables = new Map(of('table').map((t) => [t.id.slice('table '.length), t]));
  const isPartition = (table: string) => Boolean(tables.get(table)?.partitionOf);
  const statement = (o: SchemaObject, sql = objectDdl(o)): ScriptStatement => ({ id: o.id, sql });
  const columns = of('column').sort(byPosition);
  // A partition key names columns, so a partitioned table is created with its columns in place.
  const inline = (table: string) => Boolean(tables.get(table)?.partitionKey) && !isPartition(table);
  // Row security is turned on after the rows are in: FORCE applies to the owner, which is who copies them.
  const tableStatement = (table: TableDef): ScriptStatement => {
    const t: TableDef = { ...table, rowSecurity: false, forceRowSecurity: false };
    const name = t.id.slice('table '.length);
    if (!inline(name)) return statement(t);
    return statement(t, objectDdl(t, { columns: columns.filter((c) => c.table === name) }));
  };

  const preData: ScriptStatement[] = [
    // `public` (and any schema the server starts with) may already be there.
    ...of('schema').map((o) => statement(o, `create schema if not exists ${o.id.slice('schema '.length)};`)),
    ...of('extension').map((o) => {
      const name = o.id.slice('extension '.length);
      const schema = options.extensionSchemas.get(o.name);
      return statement(o, `create extension if not exists ${name}${schema ? ` with schema ${schema}` : ''};`);
    }),
    ...of('enum').map((o) => statement(o)),
    ...of('domain').map((o) => statement(o)),
    ...of('function').map((o) => statement(o)),
    ...of('procedure').map((o) => statement(o)),
    // Ownership needs the column: set after the tables.
    ...of('sequence').map((o) => statement(o, objectDdl({ ...o, ownedBy: null } satisfies SequenceDef))),
    ...parentsFirst(tables).map(tableStatement),
    ...columns.filter((c) => !isPartition(c.table) && !inline(c.table)).map((o) => statement(o)),
    ...of('sequence')
      .filter((o) => o.ownedBy)
      .map((o) => ({
        id: `${o.id} owned by`,
        sql: `alter sequence ${o.id.slice('sequence '.length)} owned by ${o.ownedBy};`,
      })),
  ];
  const constraintRank: Record<ConstraintDef['type'], number> = {
    'primary key': 0,
    unique: 1,
    exclusion: 2,
    check: 3,
    'foreign key': 4,
  };
  const postData: ScriptStatement[] = [
    ...of('constraint')
      .sort(
        (a, b) =>
          constraintRank[a.type] - constraintRank[b.type] ||
          Number(isPartition(a.table)) - Number(isPartition(b.table)),
      )
      .map((o) => statement(o)),
    ...of('view').map((o) => statement(o)),
    ...of('materialized view').map((o) => statement(o)),
    ...of('index')
      .sort((a, b) => Number(isPartition(a.table)) - Number(isPartition(b.table)))
      // pg_get_indexdef says ON ONLY for a partitioned table's index; without ONLY it is built on every partition too, as it was in production.
      .map((o) => statement(o, objectDdl(o, { onPartitions: Boolean(tables.get(o.table)?.partitionKey) }))),
    ...of('trigger')
      .sort((a, b) => Number(isPartition(a.table)) - Number(isPartition(b.table)))
      .map((o) => statement(o)),
    ...of('policy').map((o) => statement(o)),
    ...of('table').flatMap((t) => {
      const name = t.id.slice('table '.length);
      return [
        ...(t.rowSecurity
          ? [{ id: `${t.id} row security`, sql: `alter table ${name} enable row level security;` }]
          : []),
        ...(t.forceRowSecurity
          ? [{ id: `${t.id} forced row security`, sql: `alter table ${name} force row level security;` }]
          : []),
      ];
    }),
  ];
  return { preData, postData };
}

/** Objects a partition gets from its parent: creating them again on the partition finds them there. */
export function inheritedByPartitions(model: SchemaModel, id: string): boolean {
  const object = model.objects[id];
  if (!object || !('table' in object) || !['constraint', 'index', 'trigger'].includes(object.objectType)) return false;
  const table = model.objects[`table ${object.table}`] as TableDef | undefined;
  return Boolean(table?.partitionOf);
}

/** Columns in each table's order, so a copy keeps the positions production has. */
function byPosition(a: ColumnDef, b: ColumnDef): number {
  return a.table < b.table ? -1 : a.table > b.table ? 1 : a.position - b.position;
}

/** Partitioned tables before their partitions, at any depth. */
function parentsFirst(tables: Map<string, TableDef>): TableDef[] {
  const depth = (table: TableDef, seen = 0): number => {
    const parent = table.partitionOf ? tables.get(table.partitionOf) : undefined;
    return parent && seen < 64 ? 1 + depth(parent, seen + 1) : 0;
  };
  return [...tables.values()].sort((a, b) => depth(a) - depth(b));
}
