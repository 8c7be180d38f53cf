import type { Node } from 'libpg-query';
import { defElems, names, unwrap, walk } from '../ast-walk.ts';
import { nonVolatileBuiltins } from './builtin-volatility.ts';
import { routineKey } from './routines.ts';

export type Volatility = 'immutable' | 'stable' | 'volatile';

/** Function volatility by routineKey. */
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
    const declared = known.get(routineKey(parts));
    if (declared !== 'immutable' && declared !== 'stable')
      found = { name: parts.join('.'), known: declared === 'volatile' };
  });
  return found;
}

/** The volatility a CREATE FUNCTION declares (volatile when it says nothing), keyed like routineKey. */
export function declaredVolatility(node: Node): [string, Volatility] | undefined {
  const create = unwrap<{ funcname?: Node[]; options?: Node[]; is_procedure?: boolean }>(node, 'CreateFunctionStmt');
  if (!create || create.is_procedure) return undefined;
  const option = defElems(create.options).get('volatility');
  const text = unwrap<{ sval?: string }>(option as Node, 'String')?.sval;
  const volatility: Volatility = text === 'immutable' || text === 'stable' ? text : 'volatile';
  return [routineKey(names(create.funcname)), volatility];
}
