import type pg from 'pg';
import { catalogSearchPath, withCatalogSearchPath } from '../database/catalog-search-path.ts';
import { catalogQueries } from './catalog-queries.ts';
import {
  toSchemaModel,
  type ConstraintDef,
  type FunctionDef,
  type SchemaModel,
  type SchemaObject,
  type ViewDef,
} from './model.ts';

/** Never part of a user schema. */
const systemSchemas = ['pg_catalog', 'information_schema'];

/** schemagate's control plane and ledgers, Netlify's ledger and drizzle's: not the application's schema. */
export const defaultExcludedSchemas: readonly string[] = ['schemagate', 'schemagate_migrations', 'netlify', 'drizzle'];

export interface IntrospectOptions {
  /** Replaces `defaultExcludedSchemas`; system, toast and temp schemas are always excluded. */
  excludeSchemas?: string[];
}

type Client = pg.ClientBase | pg.Pool;

/**
 * Reads the schema of the connected database into a normalized model: sorted,
 * free of OIDs and volatile values, so two databases built by the same DDL
 * give equal models (see `schemasEqual`).
 *
 * With a pool the catalog is read in one REPEATABLE READ transaction (one
 * snapshot); with a client the caller's transaction, if any, is used as is.
 *
 * @example
 * const before = await introspectSchema(previewPool);
 * await previewPool.query(migrationSql);
 * const diff = diffSchemas(before, await introspectSchema(previewPool));
 */
export async function introspectSchema(client: Client, options: IntrospectOptions = {}): Promise<SchemaModel> {
  const excluded = [...systemSchemas, ...(options.excludeSchemas ?? defaultExcludedSchemas)];
  if (!isPool(client)) return withCatalogSearchPath(client, () => readCatalog(client, excluded));
  const connection = await client.connect();
  try {
    await connection.query('begin isolation level repeatable read read only');
    await connection.query(`set local search_path = ${catalogSearchPath}`);
    const model = await readCatalog(connection, excluded);
    await connection.query('commit');
    return model;
  } catch (error) {
    await connection.query('rollback').catch(() => {});
    throw error;
  } finally {
    connection.release();
  }
}

function isPool(client: Client): client is pg.Pool {
  return typeof (client as pg.Pool).totalCount === 'number';
}

// pg_get_*def and format_type qualify names that are not on the search_path,
// so the output depends on it: it is pinned to the catalog while it is read.

async function readCatalog(client: pg.ClientBase, excluded: string[]): Promise<SchemaModel> {
  const rows = async <T>(sql: string) =>
    (await client.query<T & pg.QueryResultRow>(sql, sql.includes('$1') ? [excluded] : [])).rows;
  // These queries alias their columns to the model's field names.
  const shaped = async (sql: string, objectType: SchemaObject['objectType']) =>
    (await rows<Record<string, unknown>>(sql)).map((row) => ({ objectType, ...row }));
  const q = catalogQueries;
  const objects = [
    ...(await shaped(q.schemas, 'schema')),
    ...(await shaped(q.extensions, 'extension')),
    ...(await shaped(q.enums, 'enum')),
    ...(await shaped(q.domains, 'domain')),
    ...(await shaped(q.sequences, 'sequence')),
    ...(await shaped(q.tables, 'table')),
    ...(await shaped(q.columns, 'column')),
    ...(await rows<Omit<ConstraintDef, 'objectType'>>(q.constraints)).map(toConstraint),
    ...(await shaped(q.indexes, 'index')),
    ...(await rows<ViewRow>(q.views)).map(toView),
    ...(await rows<FunctionRow>(q.functions)).map(toFunction),
    ...(await shaped(q.triggers, 'trigger')),
    ...(await shaped(q.policies, 'policy')),
  ] as SchemaObject[];
  const ids = new Set<string>();
  for (const { id } of objects) {
    // Two objects with one id would make the model depend on row order.
    if (ids.has(id)) throw new Error(`introspectSchema: two catalog objects share the id "${id}"`);
    ids.add(id);
  }
  return toSchemaModel(objects);
}

// pg_get_constraintdef appends " NOT VALID"; keeping it would report a
// validation twice (definition and validated).
function toConstraint(row: Omit<ConstraintDef, 'objectType'>): ConstraintDef {
  const definition = row.validated ? row.definition : row.definition.replace(/ NOT VALID$/, '');
  return { objectType: 'constraint', ...row, definition };
}

interface ViewRow {
  objectType: ViewDef['objectType'];
  name: string;
  definition: string;
  options: string[];
}

function toView({ objectType, name, definition, options }: ViewRow): ViewDef {
  return { objectType, id: `${objectType} ${name}`, definition: definition.trim(), options };
}

type FunctionRow = Omit<FunctionDef, 'id'> & { signature: string };

// The body is kept byte for byte (whitespace inside it can be data); only the
// newline pg_get_functiondef appends goes.
function toFunction({ objectType, signature, definition, ...rest }: FunctionRow): FunctionDef {
  return { objectType, id: `${objectType} ${signature}`, ...rest, definition: definition.trimEnd() };
}
