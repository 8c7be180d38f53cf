import type { ColumnDef, Constraint, Node, RangeVar } from 'libpg-query';
import { names, simpleType, unwrap } from '../ast-walk.ts';
import type { RuleContext, StatementRules } from './context.ts';
import { serialTypes } from './locks.ts';

const smallKeyTypes = new Set(['int2', 'int4', 'serial', 'serial2', 'serial4', 'smallserial']);
// Postgres truncates identifiers to NAMEDATALEN - 1 bytes.
const maxIdentifierBytes = 63;

/** Schema choices that are cheap to get right now and expensive to change later. */
export const checkHygiene: StatementRules = (node, context) => {
  const create = unwrap<{ relation?: RangeVar; tableElts?: Node[] }>(node, 'CreateStmt');
  if (create) checkCreateTable(create.relation, create.tableElts ?? [], context);
  const alter = unwrap<{ relation?: RangeVar; cmds?: Node[] }>(node, 'AlterTableStmt');
  for (const item of alter?.cmds ?? []) {
    const cmd = unwrap<{ subtype?: string; name?: string; def?: Node }>(item, 'AlterTableCmd');
    const column = unwrap<ColumnDef>(cmd?.def, 'ColumnDef');
    if (column && (cmd?.subtype === 'AT_AddColumn' || cmd?.subtype === 'AT_AlterColumnType')) {
      checkColumnType(`${alter?.relation?.relname}.${column.colname ?? cmd.name}`, column, context);
    }
  }
  const index = unwrap<{ concurrent?: boolean; if_not_exists?: boolean; idxname?: string }>(node, 'IndexStmt');
  if (index?.concurrent && !index.if_not_exists) {
    context.report(
      'SG406',
      'CREATE INDEX CONCURRENTLY without IF NOT EXISTS cannot be retried after a failure that left an invalid index.',
    );
  }
  const drop = unwrap<{ concurrent?: boolean; missing_ok?: boolean }>(node, 'DropStmt');
  if (drop?.concurrent && !drop.missing_ok) {
    context.report(
      'SG406',
      'DROP INDEX CONCURRENTLY without IF EXISTS fails when retried after the index was already dropped.',
    );
  }
  if (unwrap(node, 'DoStmt')) context.report('SG407', 'DO block: its effects cannot be checked statically.');
  checkIdentifierLengths(context);
};

function checkCreateTable(relation: RangeVar | undefined, elements: Node[], context: RuleContext): void {
  const primaryKey = new Set<string>();
  for (const element of elements) {
    const constraint = unwrap<Constraint>(element, 'Constraint');
    if (constraint?.contype === 'CONSTR_PRIMARY') names(constraint.keys).forEach((key) => primaryKey.add(key));
  }
  for (const element of elements) {
    const column = unwrap<ColumnDef>(element, 'ColumnDef');
    if (!column) continue;
    const inlinePrimary = (column.constraints ?? []).some(
      (item) => unwrap<Constraint>(item, 'Constraint')?.contype === 'CONSTR_PRIMARY',
    );
    const type = simpleType(column.typeName);
    if ((inlinePrimary || primaryKey.has(column.colname ?? '')) && smallKeyTypes.has(type.name)) {
      context.report(
        'SG401',
        `Primary key ${relation?.relname}.${column.colname} is ${type.name}: it runs out at 2^31 values.`,
        column.location,
      );
    }
    checkColumnType(`${relation?.relname}.${column.colname}`, column, context);
  }
}

function checkColumnType(label: string, column: ColumnDef, { report }: RuleContext): void {
  const type = simpleType(column.typeName);
  if (serialTypes.has(type.name))
    report('SG402', `${label} is ${type.name}; identity columns replace serial.`, column.location);
  if (type.name === 'timestamp') report('SG403', `${label} is timestamp without time zone.`, column.location);
  if (type.name === 'varchar' && type.mods.length > 0)
    report('SG404', `${label} is varchar(${type.mods[0]}).`, column.location);
}

/**
 * The parser already truncates long identifiers in the AST (with only a NOTICE), so lengths are
 * measured on the scanner's identifier tokens, which keep the text as written.
 */
function checkIdentifierLengths({ report, statement }: RuleContext): void {
  for (const token of statement.tokens) {
    if (token.tokenName !== 'IDENT') continue;
    const quoted = token.text.startsWith('"');
    const name = quoted ? token.text.slice(1, -1).replaceAll('""', '"') : token.text;
    const bytes = Buffer.byteLength(name);
    if (bytes > maxIdentifierBytes)
      report('SG405', `Identifier "${name.slice(0, 20)}..." is ${bytes} bytes; Postgres truncates it to 63.`);
  }
}
