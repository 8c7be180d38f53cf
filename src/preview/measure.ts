import type pg from 'pg';
import type { ProductionTableSize } from './production-sizes.ts';

export interface LockTaken {
  /** `schema.name`, or the OID when the relation no longer exists. */
  relation: string;
  /** pg_class.relkind: r table, i index, p partitioned table, S sequence, v view, m materialized view. */
  relkind: string;
  /** e.g. `AccessExclusiveLock`. */
  mode: string;
}

export interface TableSize {
  table: string;
  /** pg_total_relation_size: heap, indexes and TOAST. */
  totalBytes: number;
  /** count(*), only for tables small enough to count quickly (see `countLimitBytes`). */
  rows: number | null;
  /** pg_class.reltuples; null when never analyzed. */
  estimatedRows: number | null;
  /** The same table in production, read from its catalog after the preview (the branch may hold a sample). */
  production?: ProductionTableSize;
}

/** Counting a bigger table inside the migration's transaction would distort its duration. */
export const countLimitBytes = 64 * 1024 * 1024;

const userNamespace = `n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and n.nspname not like 'pg\\_temp\\_%' and n.nspname not like 'pg\\_toast\\_temp\\_%'`;

/**
 * Relation locks granted to backend `pid` in the current database. From the
 * same session inside the transaction this sees every lock the migration
 * holds until commit; from another session it is a sample.
 */
export async function relationLocks(client: pg.ClientBase, pid: number): Promise<Array<LockTaken & { oid: number }>> {
  const { rows } = await client.query<LockTaken & { oid: number }>(
    `select l.relation::int8 as oid, case when c.oid is null then l.relation::text else format('%I.%I', n.nspname, c.relname) end as relation, coalesce(c.relkind::text, '?') as relkind, l.mode
     from pg_locks l left join pg_class c on c.oid = l.relation left join pg_namespace n on n.oid = c.relnamespace
     where l.pid = $1 and l.locktype = 'relation' and l.granted
       and l.database = (select oid from pg_database where datname = current_database())
       and (n.oid is null or (${userNamespace}))`,
    [pid],
  );
  return rows.map((r) => ({ ...r, oid: Number(r.oid) }));
}

/** OID -> { name, filenode } of every user table and materialized view; a changed filenode means a rewrite. */
export async function tableFilenodes(client: pg.ClientBase): Promise<Map<number, { name: string; filenode: string }>> {
  const { rows } = await client.query<{ oid: string; name: string; filenode: string }>(
    `select c.oid::int8 as oid, format('%I.%I', n.nspname, c.relname) as name, pg_relation_filenode(c.oid)::text as filenode
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'm') and ${userNamespace}`,
  );
  return new Map(rows.map((r) => [Number(r.oid), { name: r.name, filenode: r.filenode }]));
}

/** Tables (not indexes or sequences) among `oids`, with their sizes. Tables the session may not read are not counted. */
export async function tableSizes(client: pg.ClientBase, oids: number[]): Promise<TableSize[]> {
  if (oids.length === 0) return [];
  const { rows } = await client.query<{ table: string; bytes: string; rows: string | null; reltuples: number }>(
    `select format('%I.%I', n.nspname, c.relname) as table, pg_total_relation_size(c.oid)::text as bytes, c.reltuples,
       case when pg_relation_size(c.oid) < $2 and has_table_privilege(c.oid, 'select')
         then (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from %s', c.oid::regclass), false, true, '')))[1]::text
       end as rows
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.oid = any($1::oid[]) and c.relkind in ('r', 'p', 'm')
     order by 1`,
    [oids, countLimitBytes],
  );
  return rows.map((r) => ({
    table: r.table,
    totalBytes: Number(r.bytes),
    rows: r.rows === null ? null : Number(r.rows),
    estimatedRows: r.reltuples < 0 ? null : r.reltuples,
  }));
}

/**
 * Polls another backend's relation locks until stopped: statements that run
 * outside a transaction (CREATE INDEX CONCURRENTLY) release their locks
 * before they return, so only a session watching meanwhile can see them.
 */
export function sampleLocks(
  monitor: pg.ClientBase,
  pid: number,
  intervalMs = 5,
): { stop(): Promise<Array<LockTaken & { oid: number }>> } {
  const seen = new Map<string, LockTaken & { oid: number }>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const locks = await relationLocks(monitor, pid).catch(() => []);
      for (const lock of locks) seen.set(`${lock.oid} ${lock.mode}`, lock);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop.catch(() => {});
      return [...seen.values()];
    },
  };
}
