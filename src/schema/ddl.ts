import type { SchemaChange } from './diff.ts';
import type { ColumnDef, SchemaObject } from './model.ts';

export interface DdlOptions {
  /**
   * A table's columns, written inside its `create table` (a partition key names
   * columns, so a partitioned table needs them in place) instead of one
   * `alter table ... add column` each.
   */
  columns?: readonly ColumnDef[];
  /**
   * A partitioned table's index built on every partition too: pg_get_indexdef
   * says `ON ONLY` for it, which creates it on the parent alone.
   */
  onPartitions?: boolean;
}

/**
 * One schema object as the DDL that would create it, for a reviewer reading
 * a diff before/after. Tables, columns and constraints are separate objects
 * in the model, so a table's DDL names only the table itself and each column
 * is an `alter table ... add column`. Readable, not a dump: comments, grants
 * and ownership are not part of the model.
 *
 * @example
 * objectDdl({ objectType: 'index', id: 'index public.orders_total', table: 'public.orders', definition: 'CREATE INDEX ...', ... })
 * // 'CREATE INDEX ...;'
 */
export function objectDdl(o: SchemaObject, options: DdlOptions = {}): string {
  // Ids are "<type> <quoted, qualified name>", and table children "<type> <table>.<quoted name>".
  const name = o.id.slice(o.objectType.length + 1);
  const member = 'table' in o ? name.slice(o.table.length + 1) : name;
  switch (o.objectType) {
    case 'schema':
      return `create schema ${name};`;
    case 'extension':
      return `create extension ${name};`;
    case 'enum':
      return `create type ${name} as enum (${o.labels.map(literal).join(', ')});`;
    case 'domain':
      return [
        `create domain ${name} as ${o.baseType}`,
        o.collation && `collate ${o.collation}`,
        o.default !== null && `default ${o.default}`,
        !o.nullable && 'not null',
        ...o.constraints.map((c) => `constraint ${c}`),
      ]
        .filter(Boolean)
        .join('\n  ')
        .concat(';');
    case 'sequence':
      return (
        `create sequence ${name} as ${o.dataType} increment by ${o.increment} minvalue ${o.min} maxvalue ${o.max} start with ${o.start} cache ${o.cache}${o.cycle ? ' cycle' : ''};` +
        (o.ownedBy ? `\nalter sequence ${name} owned by ${o.ownedBy};` : '')
      );
    case 'table': {
      const head = o.partitionOf
        ? `create${o.unlogged ? ' unlogged' : ''} table ${name} partition of ${o.partitionOf} ${o.partitionBound ?? ''}`.trimEnd()
        : `create${o.unlogged ? ' unlogged' : ''} table ${name} (${options.columns ? `\n  ${options.columns.map(columnDefinition).join(',\n  ')}\n` : ''})`;
      const lines = [
        head +
          (o.partitionKey ? ` partition by ${o.partitionKey}` : '') +
          (o.options.length ? ` with (${o.options.join(', ')})` : '') +
          ';',
      ];
      if (o.rowSecurity) lines.push(`alter table ${name} enable row level security;`);
      if (o.forceRowSecurity) lines.push(`alter table ${name} force row level security;`);
      return lines.join('\n');
    }
    case 'column':
      return `alter table ${o.table} add column ${columnDefinition(o)};`;
    case 'constraint':
      return `alter table ${o.table} add constraint ${member} ${o.definition}${o.validated ? '' : ' not valid'};`;
    case 'index':
      return `${options.onPartitions ? o.definition.replace(` ON ONLY ${o.table} `, ` ON ${o.table} `) : o.definition};${o.valid ? '' : '\n-- invalid: a CREATE INDEX CONCURRENTLY that failed'}`;
    case 'view':
    case 'materialized view':
      return `create ${o.objectType} ${name}${o.options.length ? ` with (${o.options.join(', ')})` : ''} as\n${o.definition.replace(/;\s*$/, '')};`;
    case 'function':
    case 'procedure':
      return `${o.definition.trimEnd()};`;
    case 'trigger': {
      const state = { origin: '', always: ' enable always', replica: ' enable replica', disabled: ' disable' }[
        o.enabled
      ];
      return `${o.definition};${state ? `\nalter table ${o.table}${state} trigger ${member};` : ''}`;
    }
    case 'policy':
      return [
        `create policy ${member} on ${o.table} as ${o.permissive ? 'permissive' : 'restrictive'} for ${o.command} to ${o.roles.join(', ') || 'public'}`,
        o.using !== null && `using (${o.using})`,
        o.withCheck !== null && `with check (${o.withCheck})`,
      ]
        .filter(Boolean)
        .join('\n  ')
        .concat(';');
  }
}

/**
 * A column as it is written in `create table` or after `add column`: name, type and the rest.
 *
 * @example
 * columnDefinition(column); // 'total numeric(12,2) default 0 not null'
 */
function columnDefinition(o: ColumnDef): string {
  const parts = [`${o.id.slice('column '.length + o.table.length + 1)} ${o.type}`];
  if (o.collation) parts.push(`collate ${o.collation}`);
  if (o.identity) parts.push(`generated ${o.identity} as identity`);
  if (o.generated) parts.push(`generated always as (${o.generated})${o.generatedKind ? ` ${o.generatedKind}` : ''}`);
  if (o.default !== null) parts.push(`default ${o.default}`);
  if (!o.nullable) parts.push('not null');
  return parts.join(' ');
}

/** A change as DDL before and after: null on the side where the object does not exist. */
export function changeDdl(change: SchemaChange): { before: string | null; after: string | null } {
  return {
    before: change.before ? objectDdl(change.before) : null,
    after: change.after ? objectDdl(change.after) : null,
  };
}

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
