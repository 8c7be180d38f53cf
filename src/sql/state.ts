import type { Node, RangeVar } from 'libpg-query';
import { names, relationName, simpleType, unwrap, type SimpleType } from './ast-walk.ts';
import {
  noteVolatility,
  volatilityChanges,
  type FunctionVolatilities,
  type Volatility,
} from './rules/column-defaults.ts';
import { parseTypeString } from './type-change.ts';

/** What the migration has done so far, as rules see it before each statement. */
export interface MigrationState {
  /** Tables created earlier in this migration, by bare name -> schemas ('' when unqualified). */
  createdTables: Map<string, Set<string>>;
  createdIndexes: Set<string>;
  /** Known column types by `table.column` (schema-qualified and bare keys). */
  columnTypes: Map<string, SimpleType>;
  /** CHECK (col IS NOT NULL) constraints by `table.constraint`, with the column they cover. */
  notNullChecks: Map<string, { column: string; validated: boolean }>;
  lockTimeoutSet: boolean;
  lockTimeoutReported: boolean;
  inExplicitTransaction: boolean;
  /** Function volatility (noteVolatility): production's catalog, then what this migration declares or alters. */
  functionVolatility: Map<string, Volatility>;
  /** Constraints added NOT VALID to existing tables so far. */
  notValidConstraints: ConstraintRef[];
}

/** A constraint named on a table; `schema` is undefined when the table was not schema-qualified. */
export interface ConstraintRef {
  schema?: string;
  table: string;
  name: string;
}

/** Column types of the existing schema, e.g. `{ "public.users": { email: "character varying(200)" } }`. */
export type ExistingColumns = Record<string, Record<string, string>>;

export function createState(existing: ExistingColumns = {}, functions: FunctionVolatilities = []): MigrationState {
  const columnTypes = new Map<string, SimpleType>();
  for (const [table, columns] of Object.entries(existing)) {
    for (const [column, type] of Object.entries(columns)) {
      const parsed = parseTypeString(type);
      if (parsed) columnTypes.set(`${table.toLowerCase()}.${column}`, parsed);
    }
  }
  const functionVolatility = new Map<string, Volatility>();
  for (const [schema, name, volatility] of functions) noteVolatility(functionVolatility, [schema, name], volatility);
  return {
    createdTables: new Map(),
    createdIndexes: new Set(),
    columnTypes,
    notNullChecks: new Map(),
    lockTimeoutSet: false,
    lockTimeoutReported: false,
    inExplicitTransaction: false,
    functionVolatility,
    notValidConstraints: [],
  };
}

/** True when the table was created earlier in this migration, so nobody else can be using it yet. */
export function isNewTable(state: MigrationState, relation: RangeVar | undefined): boolean {
  // The parser has already folded unquoted names to lower case; "Users" and users are different tables.
  if (!relation?.relname) return false;
  const schemas = state.createdTables.get(relation.relname);
  if (!schemas) return false;
  const schema = relation.schemaname ?? '';
  return schema === '' || schemas.has('') || schemas.has(schema);
}

export function columnType(
  state: MigrationState,
  relation: RangeVar | undefined,
  column: string,
): SimpleType | undefined {
  const table = (relation?.relname ?? '').toLowerCase();
  // Unqualified names usually resolve to public; introspection reports schema-qualified names.
  const keys = [`${relationName(relation)}.${column}`, `${table}.${column}`, `public.${table}.${column}`];
  for (const key of keys) {
    const type = state.columnTypes.get(key);
    if (type) return type;
  }
  return undefined;
}

function addTable(state: MigrationState, relation: RangeVar | undefined): void {
  if (!relation?.relname) return;
  const name = relation.relname;
  const schemas = state.createdTables.get(name) ?? new Set<string>();
  schemas.add(relation.schemaname ?? '');
  state.createdTables.set(name, schemas);
}

function setColumn(
  state: MigrationState,
  relation: RangeVar | undefined,
  column: string | undefined,
  type: SimpleType,
): void {
  if (!relation || !column) return;
  state.columnTypes.set(`${relationName(relation)}.${column}`, type);
}

/** Record what a statement did, after the rules have looked at it. */
export function recordStatement(state: MigrationState, node: Node): void {
  for (const [parts, volatility] of volatilityChanges(node))
    noteVolatility(state.functionVolatility, parts, volatility);
  const create = unwrap<{ relation?: RangeVar; tableElts?: Node[] }>(node, 'CreateStmt');
  if (create) {
    addTable(state, create.relation);
    for (const element of create.tableElts ?? []) {
      const column = unwrap<{ colname?: string; typeName?: never }>(element, 'ColumnDef');
      if (column) setColumn(state, create.relation, column.colname, simpleType(column.typeName));
    }
  }
  const createAs = unwrap<{ into?: { rel?: RangeVar } }>(node, 'CreateTableAsStmt');
  if (createAs) addTable(state, createAs.into?.rel);
  const index = unwrap<{ idxname?: string }>(node, 'IndexStmt');
  if (index?.idxname) state.createdIndexes.add(index.idxname.toLowerCase());
  const rename = unwrap<{ renameType?: string; relation?: RangeVar; newname?: string }>(node, 'RenameStmt');
  if (rename?.renameType === 'OBJECT_TABLE' && isNewTable(state, rename.relation) && rename.newname) {
    addTable(state, { ...rename.relation, relname: rename.newname });
  }
  const alter = unwrap<{ relation?: RangeVar; cmds?: Node[] }>(node, 'AlterTableStmt');
  if (alter) {
    recordAlterTable(state, alter.relation, alter.cmds ?? []);
    if (!isNewTable(state, alter.relation))
      state.notValidConstraints.push(...notValidConstraints(alter.relation, alter.cmds ?? []));
  }
  const set = unwrap<{ name?: string; kind?: string }>(node, 'VariableSetStmt');
  if (set?.name === 'lock_timeout' && set.kind === 'VAR_SET_VALUE') state.lockTimeoutSet = true;
  const transaction = unwrap<{ kind?: string }>(node, 'TransactionStmt');
  if (transaction?.kind === 'TRANS_STMT_BEGIN' || transaction?.kind === 'TRANS_STMT_START')
    state.inExplicitTransaction = true;
  else if (transaction && transaction.kind !== 'TRANS_STMT_SAVEPOINT' && transaction.kind !== 'TRANS_STMT_RELEASE') {
    state.inExplicitTransaction = false;
  }
}

function recordAlterTable(state: MigrationState, relation: RangeVar | undefined, cmds: Node[]): void {
  const table = relationName(relation);
  for (const item of cmds) {
    const cmd = unwrap<{ subtype?: string; name?: string; def?: Node }>(item, 'AlterTableCmd');
    if (!cmd) continue;
    const column = unwrap<{ colname?: string; typeName?: never }>(cmd.def, 'ColumnDef');
    if (cmd.subtype === 'AT_AddColumn' && column)
      setColumn(state, relation, column.colname, simpleType(column.typeName));
    if (cmd.subtype === 'AT_AlterColumnType' && column)
      setColumn(state, relation, cmd.name, simpleType(column.typeName));
    const constraint = unwrap<{ contype?: string; conname?: string; skip_validation?: boolean; raw_expr?: Node }>(
      cmd.def,
      'Constraint',
    );
    if (cmd.subtype === 'AT_AddConstraint' && constraint?.contype === 'CONSTR_CHECK' && constraint.conname) {
      const checked = notNullColumn(constraint.raw_expr);
      if (checked)
        state.notNullChecks.set(`${table}.${constraint.conname}`, {
          column: checked,
          validated: !constraint.skip_validation,
        });
    }
    if (cmd.subtype === 'AT_ValidateConstraint' && cmd.name) {
      const check = state.notNullChecks.get(`${table}.${cmd.name}`);
      if (check) check.validated = true;
    }
  }
}

/** Constraints an ALTER TABLE adds NOT VALID, in order. */
export function notValidConstraints(relation: RangeVar | undefined, cmds: Node[]): ConstraintRef[] {
  const added: ConstraintRef[] = [];
  for (const item of cmds) {
    const cmd = unwrap<{ subtype?: string; def?: Node }>(item, 'AlterTableCmd');
    const constraint = unwrap<{ conname?: string; skip_validation?: boolean }>(cmd?.def, 'Constraint');
    if (cmd?.subtype === 'AT_AddConstraint' && constraint?.skip_validation && constraint.conname && relation?.relname) {
      added.push({ schema: relation.schemaname, table: relation.relname, name: constraint.conname });
    }
  }
  return added;
}

/** True when `ref` names the constraint `on` names (an unqualified table matches any schema). */
export function sameConstraint(ref: ConstraintRef, on: ConstraintRef): boolean {
  return (
    ref.table === on.table &&
    ref.name === on.name &&
    (ref.schema === undefined || on.schema === undefined || ref.schema === on.schema)
  );
}

/** The column of a `col IS NOT NULL` expression. */
function notNullColumn(expr: Node | undefined): string | undefined {
  const test = unwrap<{ nulltesttype?: string; arg?: Node }>(expr, 'NullTest');
  if (test?.nulltesttype !== 'IS_NOT_NULL') return undefined;
  const fields = names(unwrap<{ fields?: Node[] }>(test.arg, 'ColumnRef')?.fields);
  return fields.length === 1 ? fields[0] : undefined;
}

/** True when a validated CHECK (col IS NOT NULL) exists on the table, so SET NOT NULL skips its scan. */
export function hasValidatedNotNullCheck(
  state: MigrationState,
  relation: RangeVar | undefined,
  column: string,
): boolean {
  const prefix = `${relationName(relation)}.`;
  for (const [key, check] of state.notNullChecks) {
    if (key.startsWith(prefix) && check.column === column && check.validated) return true;
  }
  return false;
}
