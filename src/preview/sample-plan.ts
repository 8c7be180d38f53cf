import type pg from 'pg';
import { quoteIdent } from '../database/server-admin.ts';

export interface SampledTable {
  /** Qualified and quoted, e.g. `public."Users"`. */
  name: string;
  /** `only` for plain tables (children are copied on their own); partitioned tables read through their partitions. */
  partitioned: boolean;
  columns: string[];
  orderBy: string[];
  nullableColumns: Set<string>;
}

export interface ForeignKey {
  child: string;
  parent: string;
  childColumns: string[];
  parentColumns: string[];
  /** Self-references and edges inside a cycle: no parent-first order exists for them. */
  cyclic: boolean;
}

export interface SamplePlan {
  /** Parents before children. */
  tables: SampledTable[];
  foreignKeys: ForeignKey[];
}

/**
 * Reads user tables and foreign keys and orders tables parents first
 * (Kahn's algorithm; a cycle is broken at one table and its edges marked cyclic).
 *
 * @example
 * const plan = await readSamplePlan(production);
 * const sql = sampleQuery(plan, plan.tables[0], 1000);
 */
export async function readSamplePlan(client: pg.ClientBase): Promise<SamplePlan> {
  const { rows: tableRows } = await client.query<{
    name: string;
    partitioned: boolean;
    columns: string[];
    nullable: string[];
    pk: string[] | null;
  }>(tablesQuery);
  const { rows: fkRows } = await client.query<{
    child: string;
    parent: string;
    child_columns: string[];
    parent_columns: string[];
  }>(foreignKeysQuery);
  const tables = new Map(
    tableRows.map((t) => [
      t.name,
      {
        name: t.name,
        partitioned: t.partitioned,
        columns: t.columns.map(quoteIdent),
        nullableColumns: new Set(t.nullable.map(quoteIdent)),
        orderBy: (t.pk ?? []).map(quoteIdent),
      },
    ]),
  );
  const foreignKeys: ForeignKey[] = fkRows
    .filter((fk) => tables.has(fk.child) && tables.has(fk.parent))
    .map((fk) => ({
      child: fk.child,
      parent: fk.parent,
      childColumns: fk.child_columns.map(quoteIdent),
      parentColumns: fk.parent_columns.map(quoteIdent),
      cyclic: fk.child === fk.parent,
    }));

  const pending = new Map([...tables.keys()].map((name) => [name, new Set<string>()]));
  for (const fk of foreignKeys) if (!fk.cyclic) pending.get(fk.child)!.add(fk.parent);
  const ordered: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter(([, parents]) => parents.size === 0).map(([name]) => name);
    // Only cycles remain: break one by taking a single table; its edges to tables still pending become cyclic.
    const next = ready.length > 0 ? ready : [[...pending.keys()].sort()[0]!];
    for (const name of next) {
      pending.delete(name);
      ordered.push(name);
      for (const parents of pending.values()) parents.delete(name);
    }
  }
  const position = new Map(ordered.map((name, i) => [name, i]));
  for (const fk of foreignKeys) fk.cyclic ||= position.get(fk.parent)! >= position.get(fk.child)!;
  return { tables: ordered.map((name) => tables.get(name)!), foreignKeys };
}

/**
 * `SELECT` of up to `rows` rows of `table` whose foreign keys point at rows
 * sampled from the parents (each parent's own sample query, as a CTE), so the
 * copied data keeps every non-cyclic foreign key satisfiable. Deterministic
 * (ORDER BY the primary key, else ctid) so a parent's CTE selects the same rows
 * as the parent's own copy when both read one exported snapshot.
 */
export function sampleQuery(
  plan: SamplePlan,
  table: SampledTable,
  rows: number,
  copiedInFull: ReadonlySet<string> = new Set(),
): string {
  const byName = new Map(plan.tables.map((t) => [t.name, t]));
  const ctes = new Map<string, string>();
  const alias = (name: string) => `s${plan.tables.findIndex((t) => t.name === name)}`;
  const define = (t: SampledTable): void => {
    if (ctes.has(t.name)) return;
    const conditions: string[] = [];
    for (const fk of plan.foreignKeys) {
      if (fk.child !== t.name || fk.cyclic) continue;
      define(byName.get(fk.parent)!);
      const anyNull = fk.childColumns.map((c) => `${c} is null`).join(' or ');
      conditions.push(
        `(${anyNull} or (${fk.childColumns.join(', ')}) in (select ${fk.parentColumns.join(', ')} from ${alias(fk.parent)}))`,
      );
    }
    const where = conditions.length > 0 ? ` where ${conditions.join(' and ')}` : '';
    const order = t.orderBy.length > 0 ? t.orderBy.join(', ') : t.partitioned ? 'tableoid, ctid' : 'ctid';
    ctes.set(
      t.name,
      `${alias(t.name)} as (select ${t.columns.join(', ')} from ${t.partitioned ? '' : 'only '}${t.name}${where} order by ${order}${copiedInFull.has(t.name) ? '' : ` limit ${rows}`})`,
    );
  };
  define(table);
  return `with ${[...ctes.values()].join(',\n')}\nselect * from ${alias(table.name)}`;
}

/**
 * Statements that delete (or null out, where the columns allow it) rows whose
 * foreign key target was not copied: needed for cyclic edges, and a safety net
 * for the rest. Run repeatedly until no row changes: a deletion can orphan children.
 */
export function orphanRepairs(plan: SamplePlan): string[] {
  const byName = new Map(plan.tables.map((t) => [t.name, t]));
  return plan.foreignKeys.map((fk) => {
    const child = byName.get(fk.child)!;
    const match = fk.childColumns.map((c, i) => `p.${fk.parentColumns[i]} = c.${c}`).join(' and ');
    const orphan = `${fk.childColumns.map((c) => `c.${c} is not null`).join(' and ')} and not exists (select from ${fk.parent} p where ${match})`;
    if (fk.cyclic && fk.childColumns.every((c) => child.nullableColumns.has(c))) {
      return `update ${fk.child} c set ${fk.childColumns.map((c) => `${c} = null`).join(', ')} where ${orphan}`;
    }
    return `delete from ${fk.child} c where ${orphan}`;
  });
}

const userRelations = `
  n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and n.nspname not like 'pg\\_temp\\_%' and n.nspname not like 'pg\\_toast\\_temp\\_%'
  and not exists (select from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')`;

const tablesQuery = `
select format('%I.%I', n.nspname, c.relname) as name, c.relkind = 'p' as partitioned,
  array(select attname from pg_attribute where attrelid = c.oid and attnum > 0 and not attisdropped and attgenerated = '' order by attnum)::text[] as columns,
  array(select attname from pg_attribute where attrelid = c.oid and attnum > 0 and not attisdropped and not attnotnull)::text[] as nullable,
  (select array(select a.attname from unnest(i.indkey) k join pg_attribute a on a.attrelid = c.oid and a.attnum = k)::text[]
     from pg_index i where i.indrelid = c.oid and i.indisprimary) as pk
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p') and not c.relispartition and ${userRelations}
order by 1`;

const foreignKeysQuery = `
select (select format('%I.%I', n.nspname, c.relname) from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.oid = con.conrelid) as child,
  (select format('%I.%I', n.nspname, c.relname) from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.oid = con.confrelid) as parent,
  array(select a.attname from unnest(con.conkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n order by k.i)::text[] as child_columns,
  array(select a.attname from unnest(con.confkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n order by k.i)::text[] as parent_columns
from pg_constraint con
where con.contype = 'f' and con.conparentid = 0
order by 1, con.conname`;

/** Deletions can orphan grandchildren; a chain deeper than this is not a real schema. */
const maxRepairPasses = 50;

/**
 * Runs the orphan repairs on a sampled copy until no row changes.
 *
 * @example
 * await repairOrphans(base, plan);
 */
export async function repairOrphans(base: pg.ClientBase, plan: SamplePlan): Promise<void> {
  const repairs = orphanRepairs(plan);
  for (let pass = 0; pass < maxRepairPasses; pass++) {
    let changed = 0;
    for (const statement of repairs) changed += (await base.query(statement)).rowCount ?? 0;
    if (changed === 0) break;
  }
}
