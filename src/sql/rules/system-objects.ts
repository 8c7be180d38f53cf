import type { Node } from 'libpg-query';
import { defElems, names, stringConstant, unwrap, type Visit } from '../ast-walk.ts';
import { secretRelations } from './catalog-privileges.ts';
import type { CallFinding } from './finding.ts';

/** Schemas that hold the server's own objects. */
const systemSchemas: ReadonlySet<string> = new Set(['pg_catalog', 'pg_toast', 'information_schema']);

/** Where a relation is only read: FROM lists, joins, DELETE ... USING, MERGE ... USING, TABLESAMPLE, LIKE. */
const readFields: ReadonlySet<string> = new Set(['fromClause', 'larg', 'rarg', 'usingClause', 'sourceRelation']);
const readParents: ReadonlySet<string> = new Set(['RangeTableSample', 'TableLikeClause']);

/** Statements that create, change or remove the object they name (as opposed to using it). */
const definingStatements: Record<string, string[]> = {
  CreateFunctionStmt: ['funcname'],
  AlterFunctionStmt: ['func'],
  DefineStmt: ['defnames'],
  CreateEnumStmt: ['typeName'],
  AlterEnumStmt: ['typeName'],
  CreateDomainStmt: ['domainname'],
  AlterDomainStmt: ['typeName'],
  CreateRangeStmt: ['typeName'],
  CreateStatsStmt: ['defnames'],
  DropStmt: ['objects'],
  CommentStmt: ['object'],
  RenameStmt: ['object'],
  AlterObjectSchemaStmt: ['object'],
  AlterOperatorStmt: ['opername'],
};

/**
 * True for `pg_catalog.x`, `information_schema.x`, and `pg_*` names unqualified (pg_catalog is
 * searched first) or in pg_temp: pg_temp is searched before pg_catalog for relations, so a
 * `pg_temp.pg_locks` would stand in for the catalog's in the session that made it.
 */
function isSystemRelation(schema: string | undefined, name: string): boolean {
  if (schema === undefined || isTempSchema(schema)) return name.toLowerCase().startsWith('pg_');
  return systemSchemas.has(schema.toLowerCase());
}

const isTempSchema = (schema: string) => /^pg_temp(_\d+)?$/i.test(schema);

/** RENAME of a table, view, sequence or index to a `pg_*` name: in pg_temp it shadows the catalog. */
const relationRenames: ReadonlySet<string> = new Set([
  'OBJECT_TABLE',
  'OBJECT_VIEW',
  'OBJECT_MATVIEW',
  'OBJECT_FOREIGN_TABLE',
  'OBJECT_SEQUENCE',
  'OBJECT_INDEX',
]);

/**
 * Findings for relations and objects of the server's own catalog: any write to (or ALTER, index,
 * trigger, lock, DROP, COMMENT of) a system relation or object, and any read of a catalog that
 * holds secrets.
 *
 * @example
 * systemObjectFindings(visitOf(`UPDATE pg_settings SET setting = 'x'`)); // [{ code: 'SG317', ... }]
 */
export function systemObjectFindings(visit: Visit): CallFinding[] {
  const { type, value, field, parent } = visit;
  const findings: CallFinding[] = [];
  if (typeof value.relname === 'string') {
    const schema = typeof value.schemaname === 'string' ? value.schemaname : undefined;
    const name = value.relname.toLowerCase();
    if (isSecretRelation(schema, name))
      findings.push({
        code: 'SG318',
        message: `Reads ${schema ? `${schema}.` : ''}${name}, which holds secrets only superusers may read.`,
      });
    const read =
      (field !== undefined && readFields.has(field)) ||
      (parent !== undefined && readParents.has(parent)) ||
      parent === 'CopyStmt';
    if (!read && isSystemRelation(schema, name)) {
      findings.push({
        code: 'SG317',
        message: `Writes to or alters the system relation ${schema ? `${schema}.` : ''}${name}.`,
      });
    }
  }
  if (
    type === 'RenameStmt' &&
    relationRenames.has(String(value.renameType)) &&
    typeof value.newname === 'string' &&
    value.newname.toLowerCase().startsWith('pg_')
  ) {
    findings.push({ code: 'SG317', message: `Renames a relation to ${value.newname}, a name of the system catalog.` });
  }
  if (type === 'CopyStmt' && value.is_from === true) {
    const relation = value.relation as { relname?: string; schemaname?: string } | undefined;
    if (relation?.relname && isSystemRelation(relation.schemaname, relation.relname)) {
      findings.push({ code: 'SG317', message: `COPY ... FROM writes into the system relation ${relation.relname}.` });
    }
  }
  if (
    type === 'AlterObjectSchemaStmt' &&
    typeof value.newschema === 'string' &&
    systemSchemas.has(value.newschema.toLowerCase())
  ) {
    findings.push({ code: 'SG317', message: `Moves an object into the system schema ${value.newschema}.` });
  }
  if (type === 'CreateExtensionStmt' || type === 'CreateSchemaStmt') {
    const schema =
      type === 'CreateSchemaStmt'
        ? value.schemaname
        : stringConstant(defElems(value.options as Node[]).get('schema') as Node);
    if (typeof schema === 'string' && systemSchemas.has(schema.toLowerCase()))
      findings.push({ code: 'SG317', message: `Creates objects in the system schema ${schema}.` });
  }
  const fields = type ? definingStatements[type] : undefined;
  for (const key of fields ?? []) {
    for (const parts of objectNames(value[key])) {
      if (parts.length > 1 && systemSchemas.has(parts[0]!.toLowerCase())) {
        findings.push({
          code: 'SG317',
          message: `${type!.replace(/Stmt$/, '')} changes ${parts.join('.')}, an object of the server's own catalog.`,
        });
      }
    }
  }
  return findings;
}

/** Views of other sessions' SQL text, which carries passwords (ALTER ROLE ... PASSWORD), tokens and connection strings. */
const sessionTextRelations: ReadonlySet<string> = new Set([
  'pg_stat_activity',
  'pg_stat_statements',
  'pg_stat_replication',
  'pg_stat_wal_receiver',
  'pg_stat_subscription',
]);

/** True for a catalog relation whose rows only superusers may read (`schema` undefined when unqualified). */
export function isSecretRelation(schema: string | undefined, name: string): boolean {
  if (sessionTextRelations.has(name)) return schema === undefined || !['pg_temp'].includes(schema.toLowerCase());
  if (!secretRelations.has(name)) return false;
  const lower = schema?.toLowerCase();
  if (name.startsWith('pg_')) return lower === undefined || lower === 'pg_catalog';
  return lower === 'information_schema';
}

/** The qualified names an object field holds: a name list, a List, an ObjectWithArgs, a TypeName, or a list of those. */
function objectNames(field: unknown): string[][] {
  if (!Array.isArray(field)) return objectName(field as Node);
  if (field.every((item) => unwrap(item as Node, 'String') !== undefined)) return [names(field)];
  return field.flatMap((item) => objectName(item as Node));
}

function objectName(node: Node | undefined): string[][] {
  if (node === undefined || node === null) return [];
  const list = unwrap<{ items?: Node[] }>(node, 'List');
  if (list) return objectNames(list.items);
  const withArgs =
    unwrap<{ objname?: Node[] }>(node, 'ObjectWithArgs') ??
    (isPlain(node) && 'objname' in node ? (node as { objname?: Node[] }) : undefined);
  if (withArgs) return [names(withArgs.objname)];
  const typeName =
    unwrap<{ names?: Node[] }>(node, 'TypeName') ??
    (isPlain(node) && 'names' in node ? (node as { names?: Node[] }) : undefined);
  if (typeName) return [names(typeName.names)];
  return [];
}

function isPlain(node: unknown): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}
