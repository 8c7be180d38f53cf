import { isVolatility, type FunctionVolatilities } from './rules/column-defaults.ts';

/**
 * Reads the volatility of the database's own functions (every schema but the system ones), for
 * `analyze(sql, policy, { functionVolatility })`. A name with overloads of different volatility
 * counts as its most volatile one, since the analyzer does not resolve argument types.
 */
export const functionVolatilityQuery = `select n.nspname as schema, p.proname as name,
    case max(case p.provolatile when 'v' then 3 when 's' then 2 else 1 end) when 3 then 'volatile' when 2 then 'stable' else 'immutable' end as volatility
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where p.prokind = 'f' and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
  group by 1, 2`;

/**
 * Turn the rows of functionVolatilityQuery into the analyzer's option.
 *
 * @example
 * const { rows } = await client.query(functionVolatilityQuery);
 * analyze(sql, policy, { functionVolatility: functionVolatility(rows) });
 */
export function functionVolatility(
  rows: ReadonlyArray<{ schema: string; name: string; volatility: string }>,
): FunctionVolatilities {
  return rows.flatMap(({ schema, name, volatility }) =>
    isVolatility(volatility) ? [[schema, name, volatility] as const] : [],
  );
}
