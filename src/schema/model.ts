/**
 * A normalized, deterministic picture of a database schema: no OIDs, no
 * volatile values (sequence positions, statistics), every object keyed by a
 * stable identity such as `table public.users` or `function public.f(integer)`.
 * Identifiers inside ids are quoted as Postgres would (`table public."Users"`).
 */

/** Object types in the order a reviewer reads them (containers first). */
export const objectTypes = [
  'schema',
  'extension',
  'enum',
  'domain',
  'sequence',
  'table',
  'column',
  'constraint',
  'index',
  'view',
  'materialized view',
  'function',
  'procedure',
  'trigger',
  'policy',
] as const;

export type ObjectType = (typeof objectTypes)[number];

export interface SchemaDef {
  objectType: 'schema';
  id: string;
  name: string;
}

/** Name only: versions differ between servers (embedded 18 vs production). */
export interface ExtensionDef {
  objectType: 'extension';
  id: string;
  name: string;
}

export interface EnumDef {
  objectType: 'enum';
  id: string;
  /** In sort order, which is the order comparisons use. */
  labels: string[];
}

export interface DomainDef {
  objectType: 'domain';
  id: string;
  baseType: string;
  nullable: boolean;
  default: string | null;
  collation: string | null;
  /** `name definition`, sorted by name; ` NOT VALID` kept where it applies. */
  constraints: string[];
}

export interface SequenceDef {
  objectType: 'sequence';
  id: string;
  dataType: string;
  /** int8 values as decimal strings: they do not all fit a JS number. */
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
  /** `schema.table.column` for serial/OWNED BY sequences. */
  ownedBy: string | null;
}

export interface TableDef {
  objectType: 'table';
  id: string;
  kind: 'table' | 'partitioned table';
  unlogged: boolean;
  /** `pg_get_partkeydef`, e.g. `RANGE (created_at)`. */
  partitionKey: string | null;
  partitionOf: string | null;
  partitionBound: string | null;
  rowSecurity: boolean;
  forceRowSecurity: boolean;
  /** Storage parameters (`fillfactor=70`), sorted. */
  options: string[];
}

export interface ColumnDef {
  objectType: 'column';
  id: string;
  table: string;
  /** 1-based rank among live columns; dropped columns leave no gap. */
  position: number;
  type: string;
  nullable: boolean;
  default: string | null;
  identity: 'always' | 'by default' | null;
  /** The generation expression; see `generatedKind`. */
  generated: string | null;
  generatedKind: 'stored' | 'virtual' | null;
  /** Only when it differs from the type's default collation. */
  collation: string | null;
}

export interface ConstraintDef {
  objectType: 'constraint';
  id: string;
  table: string;
  type: 'primary key' | 'unique' | 'foreign key' | 'check' | 'exclusion';
  /** `pg_get_constraintdef` without the trailing ` NOT VALID` (see `validated`). */
  definition: string;
  validated: boolean;
  deferrable: boolean;
  deferred: boolean;
  references: string | null;
  onUpdate: ForeignKeyAction | null;
  onDelete: ForeignKeyAction | null;
}

export type ForeignKeyAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

/** Indexes that implement a primary key, unique or exclusion constraint are modelled by the constraint. */
export interface IndexDef {
  objectType: 'index';
  id: string;
  table: string;
  definition: string;
  unique: boolean;
  /** False for an index left INVALID, e.g. by a failed CREATE INDEX CONCURRENTLY. */
  valid: boolean;
  /** The WHERE clause of a partial index. */
  predicate: string | null;
}

export interface ViewDef {
  objectType: 'view' | 'materialized view';
  id: string;
  definition: string;
  options: string[];
}

export interface FunctionDef {
  objectType: 'function' | 'procedure';
  id: string;
  arguments: string;
  returns: string | null;
  language: string;
  volatility: 'immutable' | 'stable' | 'volatile';
  strict: boolean;
  securityDefiner: boolean;
  /** `pg_get_functiondef`, without its final newline. */
  definition: string;
}

export interface TriggerDef {
  objectType: 'trigger';
  id: string;
  table: string;
  definition: string;
  enabled: 'origin' | 'always' | 'replica' | 'disabled';
}

export interface PolicyDef {
  objectType: 'policy';
  id: string;
  table: string;
  command: 'all' | 'select' | 'insert' | 'update' | 'delete';
  permissive: boolean;
  roles: string[];
  using: string | null;
  withCheck: string | null;
}

export type SchemaObject =
  | SchemaDef
  | ExtensionDef
  | EnumDef
  | DomainDef
  | SequenceDef
  | TableDef
  | ColumnDef
  | ConstraintDef
  | IndexDef
  | ViewDef
  | FunctionDef
  | TriggerDef
  | PolicyDef;

export interface SchemaModel {
  /** Keyed by id, inserted in sorted id order so JSON output is stable. */
  objects: Record<string, SchemaObject>;
}

/** Builds a model with its objects in a canonical order, whatever order they came in. */
export function toSchemaModel(objects: Iterable<SchemaObject>): SchemaModel {
  const sorted = [...objects].sort((a, b) => compareIds(a.id, b.id));
  const model: SchemaModel = { objects: {} };
  for (const object of sorted) model.objects[object.id] = object;
  return model;
}

/** Code-point order: unlike localeCompare it is the same on every machine. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
