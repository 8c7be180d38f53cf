import {
  compareIds,
  objectTypes,
  type ColumnDef,
  type ObjectType,
  type SchemaModel,
  type SchemaObject,
} from './model.ts';

export type AttributeValue = string | number | boolean | null | string[];

export interface AttributeChange {
  /** Human label of the attribute, e.g. `type`, `on delete`. */
  name: string;
  before: AttributeValue;
  after: AttributeValue;
}

export interface SchemaChange {
  kind: 'added' | 'removed' | 'changed';
  objectType: ObjectType;
  id: string;
  before?: SchemaObject;
  after?: SchemaObject;
  /** For `changed`: one line per attribute, e.g. `type: integer -> bigint`. */
  details?: string[];
  /** For `changed`: the same, structured. */
  attributes?: AttributeChange[];
}

export interface SchemaDiff {
  /** Ordered by object type (see `objectTypes`), then id. Empty when the schemas are equal. */
  changes: SchemaChange[];
}

/** Part of the id, or compared another way (column position: see `columnOrder`). */
const notCompared = new Set(['objectType', 'id', 'table', 'position']);

/** Longer values, and any multi-line one, are reported as `<name> changed`. */
const maxInlineValue = 100;

/**
 * Compares two schema models object by object.
 *
 * @example
 * const diff = diffSchemas(before, after);
 * // { changes: [{ kind: 'changed', objectType: 'column', id: 'column public.users.email',
 * //   details: ['type: character varying(100) -> text'], ... }] }
 */
export function diffSchemas(before: SchemaModel, after: SchemaModel): SchemaDiff {
  const changes: SchemaChange[] = [];
  for (const [id, old] of Object.entries(before.objects)) {
    const now = after.objects[id];
    if (!now) {
      changes.push({ kind: 'removed', objectType: old.objectType, id, before: old });
      continue;
    }
    const attributes = compareAttributes(old, now);
    if (old.objectType === 'table') attributes.push(...columnOrder(id, before, after));
    if (attributes.length > 0) {
      changes.push({
        kind: 'changed',
        objectType: now.objectType,
        id,
        before: old,
        after: now,
        details: attributes.map(describe),
        attributes,
      });
    }
  }
  for (const [id, now] of Object.entries(after.objects)) {
    if (!before.objects[id]) changes.push({ kind: 'added', objectType: now.objectType, id, after: now });
  }
  changes.sort(
    (a, b) => objectTypes.indexOf(a.objectType) - objectTypes.indexOf(b.objectType) || compareIds(a.id, b.id),
  );
  return { changes };
}

/**
 * True when the two models describe the same schema, e.g. for the
 * reversibility check (up then down) and drift (history replayed from empty).
 *
 * @example
 * if (!schemasEqual(beforeUp, afterDown)) throw new Error('down does not undo up');
 */
export function schemasEqual(a: SchemaModel, b: SchemaModel): boolean {
  return diffSchemas(a, b).changes.length === 0;
}

function compareAttributes(before: SchemaObject, after: SchemaObject): AttributeChange[] {
  const old = before as unknown as Record<string, AttributeValue>;
  const now = after as unknown as Record<string, AttributeValue>;
  const keys = [...new Set([...Object.keys(now), ...Object.keys(old)])].filter((key) => !notCompared.has(key));
  return keys
    .filter((key) => JSON.stringify(old[key] ?? null) !== JSON.stringify(now[key] ?? null))
    .map((key) => ({ name: label(key), before: old[key] ?? null, after: now[key] ?? null }));
}

// Dropping a column shifts every later position; only a different relative
// order of the columns both sides share is a change of the table.
function columnOrder(tableId: string, before: SchemaModel, after: SchemaModel): AttributeChange[] {
  const table = tableId.slice('table '.length);
  const columnsOf = (model: SchemaModel, other: SchemaModel) =>
    Object.values(model.objects)
      .filter((o): o is ColumnDef => o.objectType === 'column' && o.table === table && o.id in other.objects)
      .sort((a, b) => a.position - b.position)
      .map((column) => column.id.slice(`column ${table}.`.length));
  const old = columnsOf(before, after);
  const now = columnsOf(after, before);
  return old.join('\n') === now.join('\n') ? [] : [{ name: 'column order', before: old, after: now }];
}

/** `onDelete` -> `on delete`. */
function label(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);
}

/** A value as it appears in details and rendered diffs. */
export function formatValue(value: AttributeValue): string {
  if (value === null) return 'none';
  if (Array.isArray(value)) return `(${value.join(', ')})`;
  return String(value);
}

/** True when a value is too long or multi-line to print inline. */
export function isBlockValue(value: AttributeValue): boolean {
  const text = formatValue(value);
  return text.includes('\n') || text.length > maxInlineValue;
}

function describe({ name, before, after }: AttributeChange): string {
  if (isBlockValue(before) || isBlockValue(after)) return `${name} changed`;
  return `${name}: ${formatValue(before)} -> ${formatValue(after)}`;
}
