import type { ColumnDef, Constraint, Node, RangeVar } from 'libpg-query';
import { names, simpleType, typeLabel, unwrap, walk } from '../ast-walk.ts';
import { columnType, isNewTable } from '../state.ts';
import { classifyTypeChange } from '../type-change.ts';
import type { RuleContext, StatementRules } from './context.ts';
import { serialTypes } from './locks.ts';

interface AlterTableCmd {
  subtype?: string;
  name?: string;
  def?: Node;
  behavior?: string;
}

/** Rules for statements that lose data or break application code that is still running. */
export const checkDestructive: StatementRules = (node, context) => {
  const { report, state } = context;
  const drop = unwrap<{ removeType?: string; objects?: Node[] }>(node, 'DropStmt');
  if (drop?.removeType === 'OBJECT_TABLE') {
    for (const object of drop.objects ?? []) {
      const parts = names(unwrap<{ items?: Node[] }>(object, 'List')?.items);
      const relation: RangeVar = { relname: parts.at(-1), schemaname: parts.length > 1 ? parts.at(-2) : undefined };
      if (!isNewTable(state, relation))
        report('SG201', `DROP TABLE ${parts.join('.')} deletes the table and its rows.`);
    }
  }
  if (drop?.removeType === 'OBJECT_SCHEMA') {
    for (const object of drop.objects ?? [])
      report('SG203', `DROP SCHEMA ${names([object]).join('')} removes the schema.`);
  }
  const truncate = unwrap<{ relations?: Node[] }>(node, 'TruncateStmt');
  for (const item of truncate?.relations ?? []) {
    const relation = unwrap<RangeVar>(item, 'RangeVar');
    if (!isNewTable(state, relation))
      report('SG204', `TRUNCATE ${relation?.relname} deletes every row.`, relation?.location);
  }
  const rename = unwrap<{ renameType?: string; relation?: RangeVar; subname?: string; newname?: string }>(
    node,
    'RenameStmt',
  );
  if (rename && !isNewTable(state, rename.relation)) {
    const table = rename.relation?.relname;
    if (rename.renameType === 'OBJECT_TABLE')
      report(
        'SG207',
        `Renaming table ${table} to ${rename.newname} breaks code using the old name.`,
        rename.relation?.location,
      );
    if (rename.renameType === 'OBJECT_COLUMN')
      report(
        'SG208',
        `Renaming column ${table}.${rename.subname} to ${rename.newname} breaks code using the old name.`,
        rename.relation?.location,
      );
  }
  const alter = unwrap<{ relation?: RangeVar; cmds?: Node[]; objtype?: string }>(node, 'AlterTableStmt');
  if (alter?.objtype === 'OBJECT_TABLE' && !isNewTable(state, alter.relation)) {
    for (const item of alter.cmds ?? []) {
      const cmd = unwrap<AlterTableCmd>(item, 'AlterTableCmd');
      if (cmd) checkAlterTableCmd(cmd, alter.relation, context);
    }
  }
  checkDataChanges(node, context);
  checkCascade(node, context);
};

function checkAlterTableCmd(cmd: AlterTableCmd, relation: RangeVar | undefined, { report, state }: RuleContext): void {
  const column = `${relation?.relname}.${cmd.name}`;
  if (cmd.subtype === 'AT_DropColumn') report('SG202', `DROP COLUMN ${column} loses its data.`);
  const added = unwrap<ColumnDef>(cmd.def, 'ColumnDef');
  if (cmd.subtype === 'AT_AddColumn' && added && isRequiredWithoutValue(added)) {
    report(
      'SG213',
      `Adding ${relation?.relname}.${added.colname} NOT NULL without a default fails on a table with rows and breaks INSERTs that do not set it.`,
      added.location,
    );
  }
  if (cmd.subtype === 'AT_DropNotNull')
    report('SG210', `DROP NOT NULL on ${column} lets NULLs reach code that does not expect them.`);
  if (cmd.subtype === 'AT_ColumnDefault' && cmd.def === undefined)
    report('SG211', `DROP DEFAULT on ${column} changes what inserts write.`);
  const def = unwrap<ColumnDef>(cmd.def, 'ColumnDef');
  if (cmd.subtype === 'AT_AlterColumnType' && def) {
    const from = columnType(state, relation, cmd.name ?? '');
    const to = simpleType(def.typeName);
    if (from && classifyTypeChange(from, to, def.raw_default !== undefined) === 'narrowing') {
      report(
        'SG209',
        `Changing ${column} from ${typeLabel(from)} to ${typeLabel(to)} narrows it: values that do not fit fail or are rounded.`,
        def.location,
      );
    }
  }
}

/**
 * NOT NULL (or PRIMARY KEY) with nothing that fills existing rows: no default, or DEFAULT NULL, and
 * not serial, identity or generated.
 */
function isRequiredWithoutValue(column: ColumnDef): boolean {
  if (serialTypes.has(simpleType(column.typeName).name)) return false;
  let required = false;
  for (const item of column.constraints ?? []) {
    const constraint = unwrap<Constraint>(item, 'Constraint');
    const kind = constraint?.contype;
    if (kind === 'CONSTR_NOTNULL' || kind === 'CONSTR_PRIMARY') required = true;
    if (kind === 'CONSTR_IDENTITY' || kind === 'CONSTR_GENERATED') return false;
    if (kind === 'CONSTR_DEFAULT' && !unwrap<{ isnull?: boolean }>(constraint?.raw_expr, 'A_Const')?.isnull)
      return false;
  }
  return required;
}

/** DELETE / UPDATE without WHERE, also inside CTEs (`WITH d AS (DELETE FROM t) ...`). */
function checkDataChanges(node: Node, { report, state }: RuleContext): void {
  walk(node, ({ type, value }) => {
    if (type !== 'DeleteStmt' && type !== 'UpdateStmt') return;
    const relation = value.relation as RangeVar | undefined;
    if (value.whereClause !== undefined || isNewTable(state, relation)) return;
    if (type === 'DeleteStmt')
      report('SG205', `DELETE FROM ${relation?.relname} without WHERE deletes every row.`, relation?.location);
    else
      report(
        'SG206',
        `UPDATE ${relation?.relname} without WHERE rewrites every row in one transaction.`,
        relation?.location,
      );
  });
}

function checkCascade(node: Node, { report }: RuleContext): void {
  let cascades = false;
  walk(node, ({ value }) => {
    if (value.behavior === 'DROP_CASCADE') cascades = true;
  });
  if (cascades)
    report('SG212', 'CASCADE also drops or changes objects that depend on this one, unseen in the migration.');
}
