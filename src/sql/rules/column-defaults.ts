import type { Node } from 'libpg-query';
import { defElems, names, objectWithArgsName, unwrap, walk } from '../ast-walk.ts';
import { nonVolatileBuiltins } from './builtin-volatility.ts';
import { routineKey } from './routines.ts';

export type Volatility = 'immutable' | 'stable' | 'volatile';

/** What is known of function volatility, by routineKey and by bare name (noteVolatility). */
export type FunctionVolatility = ReadonlyMap<string, Volatility>;

/** Volatility of a database's own functions, as the analyzer takes it: `[['public', 'short_id', 'volatile']]`. */
export type FunctionVolatilities = ReadonlyArray<readonly [schema: string, name: string, volatility: Volatility]>;

/**
 * Functions whose value differs per row wherever they live (pg_catalog, uuid-ossp, pgcrypto), so a
 * default using them cannot be stored once in the catalog (Postgres 11+ fast default) and every
 * existing row is rewritten. Stable functions such as now() are evaluated once and are fine.
 */
export const volatileFunctions: ReadonlySet<string> = new Set([
  'random',
  'random_normal',
  'gen_random_uuid',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'uuidv4',
  'uuidv7',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'gen_random_bytes',
  'setseed',
]);

/** A call in a default expression that may be volatile, and whether that is known or assumed. */
export interface VolatileCall {
  name: string;
  known: boolean;
}

/**
 * The first call in a default expression that is volatile, or not known to be immutable or stable.
 * Statically every function is volatile unless it is a pg_catalog function with no volatile
 * overload, was declared IMMUTABLE or STABLE earlier in the migration, or production's catalog
 * says so (`known`).
 *
 * @example
 * volatileCall(parse("DEFAULT short_id(8)"), new Map()); // { name: 'short_id', known: false }
 */
export function volatileCall(expr: Node | undefined, known: FunctionVolatility): VolatileCall | undefined {
  let found: VolatileCall | undefined;
  walk(expr, ({ type, value }) => {
    if (type !== 'FuncCall' || found) return;
    const parts = names(value.funcname);
    const name = parts.at(-1) ?? '';
    const schema = parts.length > 1 ? parts.at(-2) : undefined;
    if (volatileFunctions.has(name.toLowerCase())) {
      found = { name: parts.join('.'), known: true };
      return;
    }
    // An unqualified name resolves in pg_catalog first, which the default search_path searches before public.
    if ((schema === undefined || schema === 'pg_catalog') && nonVolatileBuiltins.has(name)) return;
    // Unqualified, it may resolve in any schema on the search_path: the bare name holds the most volatile of them.
    const declared = known.get(parts.length === 1 ? bareKey(name) : routineKey(parts));
    if (declared !== 'immutable' && declared !== 'stable')
      found = { name: parts.join('.'), known: declared === 'volatile' };
  });
  return found;
}

const rank: Record<Volatility, number> = { immutable: 1, stable: 2, volatile: 3 };

const bareKey = (name: string) => JSON.stringify([name]);

/**
 * Notes what is known of a function name, under its routineKey and its bare name, keeping the most
 * volatile of what is known: overloads share a name and the analyzer does not resolve argument
 * types, so a later IMMUTABLE overload never makes a volatile function look immutable.
 *
 * @example
 * noteVolatility(known, ['app', 'short_id'], 'volatile');
 */
export function noteVolatility(known: Map<string, Volatility>, parts: readonly string[], volatility: Volatility): void {
  for (const key of [routineKey(parts), bareKey(parts.at(-1) ?? '')]) {
    const was = known.get(key);
    if (!was || rank[volatility] > rank[was]) known.set(key, volatility);
  }
}

/**
 * What a statement tells of function volatility: a CREATE FUNCTION's declared volatility
 * (volatile when it says nothing), an ALTER FUNCTION's new one, and a function renamed or moved
 * onto a name, which is unknown and so volatile.
 */
export function volatilityChanges(node: Node): Array<[parts: string[], volatility: Volatility]> {
  const create = unwrap<{ funcname?: Node[]; options?: Node[]; is_procedure?: boolean }>(node, 'CreateFunctionStmt');
  if (create)
    return create.is_procedure ? [] : [[names(create.funcname), optionVolatility(create.options) ?? 'volatile']];
  const alter = unwrap<{ func?: { objname?: Node[] }; actions?: Node[] }>(node, 'AlterFunctionStmt');
  if (alter) {
    const volatility = optionVolatility(alter.actions);
    return volatility ? [[names(alter.func?.objname), volatility]] : [];
  }
  const rename = unwrap<{ renameType?: string; object?: Node; newname?: string }>(node, 'RenameStmt');
  if (rename && renamableFunctions.has(rename.renameType ?? '') && rename.newname) {
    const from = objectWithArgsName(rename.object);
    return [[[...from.slice(0, -1), rename.newname], 'volatile']];
  }
  const move = unwrap<{ objectType?: string; object?: Node; newschema?: string }>(node, 'AlterObjectSchemaStmt');
  if (move && renamableFunctions.has(move.objectType ?? '') && move.newschema) {
    const name = objectWithArgsName(move.object).at(-1);
    return name ? [[[move.newschema, name], 'volatile']] : [];
  }
  return [];
}

/** Object kinds of ALTER ... RENAME / SET SCHEMA that can move a function onto a name. */
const renamableFunctions: ReadonlySet<string> = new Set(['OBJECT_FUNCTION', 'OBJECT_ROUTINE']);

function optionVolatility(options: Node[] | undefined): Volatility | undefined {
  const text = unwrap<{ sval?: string }>(defElems(options).get('volatility') as Node, 'String')?.sval;
  return text !== undefined && isVolatility(text) ? text : undefined;
}

export const isVolatility = (value: string): value is Volatility =>
  value === 'immutable' || value === 'stable' || value === 'volatile';
