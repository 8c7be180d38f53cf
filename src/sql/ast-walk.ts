import type { Node, RangeVar, TypeName } from 'libpg-query';

/**
 * One object met while walking: its node type when wrapped (`{ FuncCall: {...} }`), the field that
 * held it, and the type of the nearest enclosing wrapped node (`parent`), e.g. a `relation` field
 * met inside an `UpdateStmt`.
 */
export interface Visit {
  type: string | undefined;
  field: string | undefined;
  parent: string | undefined;
  value: Record<string, unknown>;
}

interface Pending {
  value: unknown;
  type: string | undefined;
  field: string | undefined;
  parent: string | undefined;
}

/**
 * Visit every object in a parse tree, wrapped nodes and inline typed fields alike.
 * libpg-query's JSON wraps `Node *` fields (`{ FuncCall: {...} }`) but not fields with a
 * concrete type (`relation: { relname }`), so visitors get both the type and the field name.
 * Iterative, so no tree is too deep to walk.
 *
 * @example
 * walk(statement, ({ type, value }) => { if (type === 'FuncCall') calls.push(value); });
 */
export function walk(root: unknown, visit: (visit: Visit) => void): void {
  const stack: Pending[] = [{ value: root, type: undefined, field: undefined, parent: undefined }];
  while (stack.length > 0) {
    const { value, type, field, parent } = stack.pop()!;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], type: undefined, field, parent });
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    const only = keys.length === 1 ? keys[0]! : undefined;
    if (only !== undefined && isNodeName(only) && isObject(record[only])) {
      stack.push({ value: record[only], type: only, field, parent });
      continue;
    }
    visit({ type, field, parent, value: record });
    const childParent = type ?? parent;
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      const child = record[key];
      if (child !== null && typeof child === 'object')
        stack.push({ value: child, type: undefined, field: key, parent: childParent });
    }
  }
}

function isNodeName(key: string): boolean {
  const first = key.charCodeAt(0);
  return first >= 65 && first <= 90;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The `sval` of each `{ String: { sval } }` in a name list such as `funcname` or `TypeName.names`. */
export function names(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => (isObject(item) && isObject(item.String) ? String(item.String.sval ?? '') : ''));
}

/** The qualified name an `ObjectWithArgs` node holds (`ALTER FUNCTION app.f(int) ...`). */
export function objectWithArgsName(node: Node | undefined): string[] {
  return names(unwrap<{ objname?: Node[] }>(node, 'ObjectWithArgs')?.objname);
}

/** A string constant's value (`A_Const.sval` or a bare `String`), or undefined for anything else. */
export function stringConstant(node: unknown): string | undefined {
  if (!isObject(node)) return undefined;
  if (isObject(node.A_Const)) {
    const sval = node.A_Const.sval;
    return isObject(sval) ? String(sval.sval ?? '') : undefined;
  }
  if (isObject(node.String)) return String(node.String.sval ?? '');
  return undefined;
}

/** Casts that keep a constant a constant: `'x'::text::regproc`. */
const textTypes: ReadonlySet<string> = new Set(['text', 'varchar', 'name', 'bpchar', 'unknown', 'cstring']);

/** A string constant, possibly behind casts to text types (`'x'::text`), or undefined. */
export function textConstant(node: unknown): string | undefined {
  const direct = stringConstant(node);
  if (direct !== undefined) return direct;
  const cast =
    isObject(node) && isObject(node.TypeCast)
      ? (node.TypeCast as { arg?: unknown; typeName?: { names?: unknown } })
      : undefined;
  if (cast && textTypes.has(names(cast.typeName?.names).at(-1)?.toLowerCase() ?? '')) return textConstant(cast.arg);
  return undefined;
}

/** The payload of a wrapped node, e.g. `unwrap<IndexStmt>(node, 'IndexStmt')`. */
export function unwrap<T>(node: Node | undefined, type: string): T | undefined {
  if (!isObject(node)) return undefined;
  const inner = (node as Record<string, unknown>)[type];
  return isObject(inner) ? (inner as T) : undefined;
}

/** `schema.table` as written, lower-cased so comparisons ignore identifier case. */
export function relationName(relation: RangeVar | undefined): string {
  if (!relation) return '';
  const table = (relation.relname ?? '').toLowerCase();
  return relation.schemaname ? `${relation.schemaname.toLowerCase()}.${table}` : table;
}

/** Normalized type: the last name part (`int4`, `varchar`, `timestamptz`), its integer modifiers and array-ness. */
export interface SimpleType {
  name: string;
  mods: number[];
  array: boolean;
}

export function simpleType(typeName: TypeName | undefined): SimpleType {
  const parts = names(typeName?.names);
  const mods = (typeName?.typmods ?? []).map((mod) => {
    const constant = (mod as { A_Const?: { ival?: { ival?: number } } }).A_Const;
    return constant?.ival?.ival ?? 0;
  });
  return { name: (parts[parts.length - 1] ?? '').toLowerCase(), mods, array: (typeName?.arrayBounds ?? []).length > 0 };
}

/** Readable SQL spelling of a simple type for messages. */
export function typeLabel(type: SimpleType): string {
  const mods = type.mods.length > 0 ? `(${type.mods.join(',')})` : '';
  return `${type.name}${mods}${type.array ? '[]' : ''}`;
}

/** Options lists (`DefElem`s) as a name -> arg map. */
export function defElems(list: Node[] | undefined): Map<string, unknown> {
  const result = new Map<string, unknown>();
  for (const item of list ?? []) {
    const elem = unwrap<{ defname?: string; arg?: unknown }>(item, 'DefElem');
    if (elem?.defname) result.set(elem.defname.toLowerCase(), elem.arg ?? true);
  }
  return result;
}
