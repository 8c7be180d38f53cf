import type pg from 'pg';

export interface ProductionTableSize {
  /** Rows by production's own statistics: pg_class.reltuples, or the live-tuple count where the table was never analyzed; null when neither is known. */
  estimatedRows: number | null;
  /** pg_total_relation_size: heap, indexes and TOAST (of every partition for a partitioned table). */
  totalBytes: number;
}

/**
 * Production's size of each named table (`schema.name` as the preview
 * measured it): what locks and rewrites will meet there, whatever copy of it
 * the branch holds (a sample, the schema alone). Catalog reads only, no
 * count(*); tables production does not have are left out.
 *
 * @example
 * const sizes = await readProductionSizes(production, ['public.events']);
 * sizes.get('public.events') // { estimatedRows: 500000, totalBytes: 48234496 }
 */
export async function readProductionSizes(
  client: pg.ClientBase,
  tables: readonly string[],
): Promise<Map<string, ProductionTableSize>> {
  // Matched as the preview formats them, never parsed: a name production does not have is left out.
  const sizes = await relationSizes(client, `format('%I.%I', n.nspname, c.relname)`, tables);
  return new Map(sizes.map(({ name, ...size }) => [name, size]));
}

/**
 * Estimated rows of relations named without their schema, as plans name what
 * they scan: the largest where several schemas hold the name; left out where
 * unknown.
 *
 * @example
 * const rows = await estimatedRowsByName(production, ['events']); // Map { 'events' => 500000 }
 */
export async function estimatedRowsByName(
  client: pg.ClientBase,
  relations: readonly string[],
): Promise<Map<string, number>> {
  const rows = new Map<string, number>();
  for (const { name, estimatedRows } of await relationSizes(client, 'c.relname', relations)) {
    if (estimatedRows !== null && estimatedRows > (rows.get(name) ?? -1)) rows.set(name, estimatedRows);
  }
  return rows;
}

/** The size of each relation whose `match` (an SQL expression over pg_class c and pg_namespace n) is one of `names`. */
async function relationSizes(
  client: pg.ClientBase,
  match: string,
  names: readonly string[],
): Promise<Array<ProductionTableSize & { name: string }>> {
  if (names.length === 0) return [];
  const { rows } = await client.query<{ name: string; estimated: string | null; bytes: string }>(
    `with named as (
       select ${match} as name, c.oid
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where ${match} = any($1::text[])
     ), leaves as (
       select n.name, n.oid as named, coalesce(p.relid, n.oid) as relid
       from named n join pg_class c on c.oid = n.oid
       left join lateral pg_partition_tree(n.oid) p on c.relkind = 'p' and p.isleaf
       where c.relkind in ('r', 'p', 'm') and (c.relkind <> 'p' or p.relid is not null)
     )
     select l.name,
       -- Never analyzed and no live-tuple count yet: unknown, unless the heap is at most one page;
       -- one leaf unknown makes the whole unknown (a sum without it would undercount).
       case when bool_and(e.rows is not null) then sum(e.rows) end::text as estimated,
       sum(pg_total_relation_size(l.relid))::text as bytes
     from leaves l join pg_class c on c.oid = l.relid left join pg_stat_all_tables s on s.relid = l.relid
     cross join lateral (select case when c.reltuples >= 0 then c.reltuples when s.n_live_tup > 0 then s.n_live_tup
                                     when pg_relation_size(l.relid) <= 8192 then 0 end as rows) e
     group by l.name, l.named`,
    [names],
  );
  return rows.map((r) => ({
    name: r.name,
    estimatedRows: r.estimated === null ? null : Math.round(Number(r.estimated)),
    totalBytes: Number(r.bytes),
  }));
}
