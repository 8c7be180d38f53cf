import type { Node, TypeName } from 'libpg-query';
import { simpleType, type SimpleType } from './ast-walk.ts';
import { parseNested } from './parse.ts';

/**
 * What ALTER COLUMN ... TYPE does to existing data:
 * - `same` / `binary-coercible`: catalog-only change, no rewrite (Postgres checks this with
 *   ATColumnChangeRequiresRewrite; these are the cases it accepts),
 * - `narrowing`: values may not fit (and the table is rewritten),
 * - `rewrite`: every row is rewritten,
 * - `unknown`: the current type is not known to the analyzer.
 */
export type TypeChange = 'same' | 'binary-coercible' | 'narrowing' | 'rewrite' | 'unknown';

const intRank: Record<string, number> = { int2: 1, int4: 2, int8: 3 };
const floatRank: Record<string, number> = { float4: 1, float8: 2 };
const lengthLimited = new Set(['varchar', 'varbit']);

/**
 * Classify a column type change.
 *
 * @example
 * classifyTypeChange(parseTypeString('varchar(20)'), parseTypeString('text'), false); // 'binary-coercible'
 */
export function classifyTypeChange(from: SimpleType | undefined, to: SimpleType, hasUsing: boolean): TypeChange {
  if (!from) return hasUsing ? 'rewrite' : 'unknown';
  if (from.array !== to.array) return 'rewrite';
  if (from.name === to.name && sameMods(from.mods, to.mods)) return hasUsing ? 'rewrite' : 'same';
  if (hasUsing) return narrows(from, to) ? 'narrowing' : 'rewrite';
  if (narrows(from, to)) return 'narrowing';
  if (from.name === to.name && lengthLimited.has(to.name)) return 'binary-coercible';
  if (from.name === 'varchar' && (to.name === 'text' || (to.name === 'varchar' && to.mods.length === 0)))
    return 'binary-coercible';
  if (from.name === 'text' && to.name === 'varchar' && to.mods.length === 0) return 'binary-coercible';
  if (from.name === 'numeric' && to.name === 'numeric')
    return numericWidens(from.mods, to.mods) ? 'binary-coercible' : 'rewrite';
  if (from.name === 'cidr' && to.name === 'inet') return 'binary-coercible';
  return 'rewrite';
}

function narrows(from: SimpleType, to: SimpleType): boolean {
  const fromInt = intRank[from.name];
  const toInt = intRank[to.name];
  if (fromInt !== undefined && toInt !== undefined) return toInt < fromInt;
  if (toInt !== undefined && (from.name === 'numeric' || floatRank[from.name] !== undefined)) return true;
  const fromFloat = floatRank[from.name];
  const toFloat = floatRank[to.name];
  if (fromFloat !== undefined && toFloat !== undefined) return toFloat < fromFloat;
  const textual = (name: string) => name === 'text' || name === 'varchar' || name === 'bpchar';
  if (textual(from.name) && (to.name === 'varchar' || to.name === 'bpchar') && to.mods.length > 0) {
    const fromLength = from.mods[0];
    return fromLength === undefined || (to.mods[0] ?? 0) < fromLength;
  }
  if (from.name === 'numeric' && to.name === 'numeric' && to.mods.length > 0) {
    if (from.mods.length === 0) return true;
    const [fromPrecision = 0, fromScale = 0] = from.mods;
    const [toPrecision = 0, toScale = 0] = to.mods;
    return toScale < fromScale || toPrecision - toScale < fromPrecision - fromScale;
  }
  return false;
}

function numericWidens(from: number[], to: number[]): boolean {
  if (to.length === 0) return true;
  if (from.length === 0) return false;
  return (to[1] ?? 0) === (from[1] ?? 0) && (to[0] ?? 0) >= (from[0] ?? 0);
}

function sameMods(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

/**
 * Parse a type as Postgres spells it (`character varying(20)`, `bigint`, `numeric(10,2)`),
 * using the parser on `SELECT NULL::<type>`. Returns undefined when it does not parse.
 */
export function parseTypeString(type: string): SimpleType | undefined {
  try {
    const [select] = parseNested(`SELECT NULL::${type}`);
    const target = (select?.node as { SelectStmt?: { targetList?: Node[] } })?.SelectStmt?.targetList?.[0];
    const cast = (target as { ResTarget?: { val?: { TypeCast?: { typeName?: TypeName } } } })?.ResTarget?.val?.TypeCast;
    return cast?.typeName ? simpleType(cast.typeName) : undefined;
  } catch {
    return undefined;
  }
}
