import type { Volatility } from './rules/column-defaults.ts';

/**
 * Reads the database's own routines (every schema but the system ones) for
 * `analyze(sql, policy, productionRoutines(rows))`: each function name's volatility, and the
 * procedures a CALL could reach. A name with overloads of different volatility counts as its most
 * volatile one, since the analyzer does not resolve argument types.
 */
export const productionRoutinesQuery = `select n.nspname as schema, p.proname as name, bool_or(p.prokind = 'p') as procedure,
    case max(case when p.prokind <> 'f' then null when p.provolatile = 'v' then 3 when p.provolatile = 's' then 2 else 1 end)
      when 3 then 'volatile' when 2 then 'stable' when 1 then 'immutable' end as volatility
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where p.prokind in ('f', 'p') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
  group by 1, 2`;

export interface ProductionRoutineRow {
  schema: string;
  name: string;
  procedure: boolean;
  volatility: string | null;
}

/** What the analyzer takes from production's routines (AnalyzeOptions). */
export interface ProductionRoutines {
  /** Volatility by `schema.name`. */
  functionVolatility: Record<string, Volatility>;
  /** Procedures as [schema, name]: a CALL of one of these names may reach production's, whatever the migration defines. */
  procedures: Array<[schema: string, name: string]>;
}

/**
 * Turn the rows of productionRoutinesQuery into the analyzer's options.
 *
 * @example
 * const { rows } = await client.query(productionRoutinesQuery);
 * analyze(sql, policy, productionRoutines(rows));
 */
export function productionRoutines(rows: readonly ProductionRoutineRow[]): ProductionRoutines {
  const functionVolatility: Record<string, Volatility> = {};
  const procedures: Array<[string, string]> = [];
  for (const { schema, name, procedure, volatility } of rows) {
    if (volatility === 'immutable' || volatility === 'stable' || volatility === 'volatile')
      functionVolatility[`${schema}.${name}`] = volatility;
    if (procedure) procedures.push([schema, name]);
  }
  return { functionVolatility, procedures };
}
