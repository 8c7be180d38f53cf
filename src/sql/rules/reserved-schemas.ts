import type { Node } from 'libpg-query';
import { defElems, names, stringConstant, unwrap, type Visit } from '../ast-walk.ts';

/** Schemas holding the migration ledgers (Netlify's and schemagate's own). */
export const reservedSchemas: ReadonlySet<string> = new Set(['netlify', 'schemagate']);

// Quoted "Netlify" is a different schema to Postgres; flagging it anyway costs nothing and closes a lookalike.
export const isReservedSchema = (name: string): boolean => reservedSchemas.has(name.toLowerCase());

/** Fields that hold a possibly qualified object name as a list of String nodes. */
const qualifiedNameFields = new Set([
  'funcname',
  'names',
  'objname',
  'defnames',
  'domainname',
  'opclassname',
  'opfamilyname',
  'collname',
  'conversion_name',
  'handler_name',
  'validator',
  'typeName',
]);

/** Object types whose DROP / COMMENT / GRANT / RENAME target is a bare schema name. */
const schemaObjectTypes = new Set(['OBJECT_SCHEMA']);

/**
 * Reserved schema names referenced by one visited AST object: qualified relations, functions,
 * types and column references, and statements that name a schema directly.
 */
export function reservedSchemaReferences({ type, value }: Visit): string[] {
  const found: string[] = [];
  const check = (name: unknown) => {
    if (typeof name === 'string' && isReservedSchema(name)) found.push(name);
  };
  if (typeof value.relname === 'string') check(value.schemaname);
  for (const field of qualifiedNameFields) {
    const list = value[field];
    if (Array.isArray(list) && list.length > 1) names(list).slice(0, -1).forEach(check);
  }
  if (type === 'List') names(value.items).slice(0, -1).forEach(check);
  if (type === 'ColumnRef') {
    const fields = names(value.fields);
    if (fields.length >= 3) fields.slice(0, -2).forEach(check);
  }
  if (type === 'CreateSchemaStmt') check(value.schemaname);
  if (type === 'AlterObjectSchemaStmt') check(value.newschema);
  const objectType = value.removeType ?? value.objtype ?? value.renameType ?? value.objectType;
  if (typeof objectType === 'string' && schemaObjectTypes.has(objectType)) {
    for (const object of [value.object, ...(Array.isArray(value.objects) ? value.objects : [])])
      check(stringConstant(object));
    if (type === 'RenameStmt') [value.subname, value.newname].forEach(check);
  }
  if (type === 'CreateExtensionStmt') check(stringConstant(defElems(value.options as Node[]).get('schema') as Node));
  if (type === 'AlterDefaultPrivilegesStmt') {
    const schemas = unwrap<{ items?: Node[] }>(defElems(value.options as Node[]).get('schemas') as Node, 'List');
    names(schemas?.items).forEach(check);
  }
  return found;
}
