import { walk } from '../sql/ast-walk.ts';
import { parseMigration } from '../sql/parse.ts';
import { isReservedSchema } from '../sql/rules/reserved-schemas.ts';

/** The statement kinds a captured query may be: everything else is never sent to a server. */
const checkedKinds = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt']);
const catalogSchemas = new Set(['pg_catalog', 'information_schema', 'pg_toast']);

/** What an INSERT sets: named columns, the first n columns by position, or unknown (`SELECT *`). */
export type InsertTarget = {
  table: { schema: string | null; name: string };
  columns: { named: string[] } | { positional: number } | 'unknown';
};

export type ScreenedStatement =
  | {
      ok: true;
      kind: 'select' | 'insert' | 'update' | 'delete';
      /** Highest $n the statement uses: PREPAREd statements are executed in EXPLAIN with that many NULLs. */
      params: number;
      /** Relations named in the statement (not its WITH queries), as written, lower-cased. */
      relations: string[];
      insert?: InsertTarget;
    }
  | {
      ok: false;
      reason: 'syntax' | 'not_one_statement' | 'not_dml' | 'select_into' | 'no_table' | 'catalog_or_own';
      message: string;
    };

/**
 * Decides, with the real Postgres parser, whether a captured query may be
 * prepared on a branch: exactly one SELECT, INSERT, UPDATE or DELETE (with
 * or without WITH), not SELECT INTO, naming at least one table outside the
 * catalogs and schemagate's own schemas. Queries are data: a string holding
 * a second statement (`select 1; drop table t`) is refused here, and the
 * extended protocol would refuse it again.
 *
 * @example
 * screenStatement('select 1; drop table users'); // { ok: false, reason: 'not_one_statement', ... }
 * screenStatement('select email from users where id = $1'); // { ok: true, kind: 'select', params: 1, relations: ['users'] }
 */
export function screenStatement(query: string): ScreenedStatement {
  const parsed = parseMigration(query);
  if (!parsed.ok)
    return {
      ok: false,
      reason: 'syntax',
      message: `does not parse (${parsed.message}); pg_stat_statements may have truncated it (track_activity_query_size)`,
    };
  if (parsed.statements.length !== 1)
    return {
      ok: false,
      reason: 'not_one_statement',
      message: `holds ${parsed.statements.length} statements; only a single statement is ever checked`,
    };
  const [statement] = parsed.statements;
  if (!checkedKinds.has(statement!.kind))
    return { ok: false, reason: 'not_dml', message: `${statement!.kind} is not a SELECT, INSERT, UPDATE or DELETE` };
  const node = (statement!.node as unknown as Record<string, Record<string, unknown>>)[statement!.kind]!;
  if (statement!.kind === 'SelectStmt' && node.intoClause)
    return { ok: false, reason: 'select_into', message: 'SELECT INTO creates a table' };

  const readsWithQuery = withQueryReads(statement!.node);
  const relations = new Set<string>();
  let params = 0;
  let own = false;
  let catalogOnly = true;
  walk(statement!.node, ({ type, value }) => {
    if (type === 'ParamRef' && typeof value.number === 'number') params = Math.max(params, value.number);
    if (typeof value.relname !== 'string') return;
    const schema = typeof value.schemaname === 'string' ? value.schemaname.toLowerCase() : null;
    const name = value.relname.toLowerCase();
    if (readsWithQuery.has(value)) return;
    relations.add(schema ? `${schema}.${name}` : name);
    if (schema && isReservedSchema(schema)) own = true;
    // Unqualified pg_* names resolve to pg_catalog first, whatever the search_path.
    const catalog = schema ? catalogSchemas.has(schema) : name.startsWith('pg_');
    if (!catalog) catalogOnly = false;
  });
  if (relations.size === 0)
    return { ok: false, reason: 'no_table', message: 'names no table: nothing a migration could break' };
  if (own) return { ok: false, reason: 'catalog_or_own', message: "reads schemagate's or Netlify's migration ledger" };
  if (catalogOnly) return { ok: false, reason: 'catalog_or_own', message: 'reads only system catalogs' };

  const kinds = { SelectStmt: 'select', InsertStmt: 'insert', UpdateStmt: 'update', DeleteStmt: 'delete' } as const;
  const kind = kinds[statement!.kind as keyof typeof kinds];
  return {
    ok: true,
    kind,
    params,
    relations: [...relations],
    ...(kind === 'insert' ? { insert: insertTarget(node) } : {}),
  };
}

/**
 * The names in a statement that read one of its WITH queries rather than a
 * table, as the parse tree's RangeVar objects. Scoped as Postgres resolves
 * them: a WITH query is seen by the statement that defines it and by the
 * WITH queries after it (all of them when RECURSIVE), never outside; a
 * schema-qualified name is always a table.
 */
function withQueryReads(root: unknown): Set<object> {
  const reads = new Set<object>();
  const visit = (value: unknown, scopes: ReadonlyArray<ReadonlySet<string>>): void => {
    if (Array.isArray(value)) return value.forEach((item) => visit(item, scopes));
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    const rangeVar = record.RangeVar as { relname?: unknown; schemaname?: unknown } | undefined;
    if (rangeVar) {
      const name = rangeVar.relname;
      if (rangeVar.schemaname === undefined && typeof name === 'string' && scopes.some((s) => s.has(name)))
        reads.add(rangeVar);
      return;
    }
    const withClause = record.withClause as { ctes?: unknown[]; recursive?: boolean } | undefined;
    if (!withClause) {
      for (const child of Object.values(record)) visit(child, scopes);
      return;
    }
    const ctes = (withClause.ctes ?? []).map(
      (node) => (node as { CommonTableExpr?: { ctename?: string; ctequery?: unknown } }).CommonTableExpr ?? {},
    );
    const names = ctes.map((cte) => cte.ctename ?? '');
    ctes.forEach((cte, i) =>
      visit(cte.ctequery, [...scopes, new Set(withClause.recursive ? names : names.slice(0, i))]),
    );
    const inBody = [...scopes, new Set(names)];
    for (const [key, child] of Object.entries(record)) if (key !== 'withClause') visit(child, inBody);
  };
  visit(root, []);
  return reads;
}

function insertTarget(node: Record<string, unknown>): InsertTarget {
  const relation = node.relation as { schemaname?: string; relname: string };
  const table = { schema: relation.schemaname ?? null, name: relation.relname };
  const cols = node.cols as Array<{ ResTarget: { name: string } }> | undefined;
  if (cols?.length) return { table, columns: { named: cols.map((c) => c.ResTarget.name) } };
  const select = (node.selectStmt as { SelectStmt?: Record<string, unknown> } | undefined)?.SelectStmt;
  // INSERT ... DEFAULT VALUES sets no column.
  if (!select) return { table, columns: { positional: 0 } };
  const values = select.valuesLists as Array<{ List: { items: unknown[] } }> | undefined;
  if (values?.length) return { table, columns: { positional: values[0]!.List.items.length } };
  const targets = select.targetList as
    Array<{ ResTarget: { val?: { ColumnRef?: { fields: Array<Record<string, unknown>> } } } }> | undefined;
  const star = targets?.some((t) => t.ResTarget.val?.ColumnRef?.fields.some((f) => 'A_Star' in f));
  if (!targets || star || select.op !== 'SETOP_NONE') return { table, columns: 'unknown' };
  return { table, columns: { positional: targets.length } };
}
