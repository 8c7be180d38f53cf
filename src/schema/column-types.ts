import type { SchemaModel } from './model.ts';

/**
 * Column types by table, as the analyzer takes them to tell a safe widening
 * from a rewrite or a narrowing: `{ "public.users": { email: "character varying(200)" } }`.
 *
 * @example
 * analyze(sql, policy, { existingColumns: columnTypes(await introspectSchema(production)) });
 */
export function columnTypes(model: SchemaModel): Record<string, Record<string, string>> {
  const tables: Record<string, Record<string, string>> = {};
  for (const object of Object.values(model.objects)) {
    if (object.objectType !== 'column') continue;
    const name = object.id.slice(`column ${object.table}.`.length);
    (tables[object.table] ??= {})[name] = object.type;
  }
  return tables;
}
