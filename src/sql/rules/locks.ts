import type { Node, RangeVar } from 'libpg-query';
import { defElems, names, relationName, simpleType, typeLabel, unwrap } from '../ast-walk.ts';
import {
  columnType,
  hasValidatedNotNullCheck,
  isNewTable,
  notValidConstraints,
  sameConstraint,
  type ConstraintRef,
} from '../state.ts';
import { classifyTypeChange } from '../type-change.ts';
import { volatileCall, type FunctionVolatility } from './column-defaults.ts';
import type { RuleContext, StatementRules } from './context.ts';

export const serialTypes: ReadonlySet<string> = new Set([
  'serial',
  'serial2',
  'serial4',
  'serial8',
  'smallserial',
  'bigserial',
]);

interface AlterTableCmd {
  subtype?: string;
  name?: string;
  def?: Node;
  behavior?: string;
}
interface Constraint {
  contype?: string;
  conname?: string;
  skip_validation?: boolean;
  indexname?: string;
  raw_expr?: Node;
  generated_when?: string;
  pktable?: RangeVar;
  location?: number;
}

/** Rules for statements whose locks or table rewrites block traffic on existing tables. */
export const checkLocks: StatementRules = (node, context) => {
  const { report, state } = context;
  const index = unwrap<{ relation?: RangeVar; concurrent?: boolean }>(node, 'IndexStmt');
  if (index && !index.concurrent && !isNewTable(state, index.relation)) {
    report(
      'SG101',
      `CREATE INDEX on ${index.relation?.relname} blocks writes to it for the whole build.`,
      index.relation?.location,
    );
  }
  const drop = unwrap<{ removeType?: string; concurrent?: boolean; objects?: Node[] }>(node, 'DropStmt');
  if (drop?.removeType === 'OBJECT_INDEX' && !drop.concurrent) {
    for (const object of drop.objects ?? []) {
      const name = names(unwrap<{ items?: Node[] }>(object, 'List')?.items).at(-1) ?? '';
      if (!state.createdIndexes.has(name.toLowerCase()))
        report('SG102', `DROP INDEX ${name} takes an ACCESS EXCLUSIVE lock on its table.`);
    }
  }
  const reindex = unwrap<{ params?: Node[]; relation?: RangeVar }>(node, 'ReindexStmt');
  if (reindex && !defElems(reindex.params).has('concurrently')) {
    report(
      'SG103',
      'REINDEX without CONCURRENTLY blocks writes and index reads while it rebuilds.',
      reindex.relation?.location,
    );
  }
  const vacuum = unwrap<{ options?: Node[]; is_vacuumcmd?: boolean }>(node, 'VacuumStmt');
  if (vacuum?.is_vacuumcmd && defElems(vacuum.options).has('full')) {
    report('SG110', 'VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock.');
  }
  if (unwrap(node, 'ClusterStmt')) report('SG110', 'CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock.');
  const domain = unwrap<{ subtype?: string; def?: Node; typeName?: Node[] }>(node, 'AlterDomainStmt');
  const domainConstraint = unwrap<Constraint>(domain?.def, 'Constraint');
  if (domain?.subtype === 'C' && domainConstraint && !domainConstraint.skip_validation) {
    report(
      'SG113',
      `ALTER DOMAIN ${names(domain.typeName).join('.')} ADD CONSTRAINT checks every column using the domain.`,
    );
  }
  const alter = unwrap<{ relation?: RangeVar; cmds?: Node[]; objtype?: string }>(node, 'AlterTableStmt');
  if (alter && alter.objtype === 'OBJECT_TABLE' && !isNewTable(state, alter.relation)) {
    const cmds = alter.cmds ?? [];
    cmds.forEach((item, at) => {
      const cmd = unwrap<AlterTableCmd>(item, 'AlterTableCmd');
      // NOT VALID constraints added by this migration so far, including earlier in this statement.
      const notValid = [...state.notValidConstraints, ...notValidConstraints(alter.relation, cmds.slice(0, at))];
      if (cmd) checkAlterTableCmd(cmd, alter.relation, context, notValid);
    });
  }
};

function checkAlterTableCmd(
  cmd: AlterTableCmd,
  relation: RangeVar | undefined,
  context: RuleContext,
  notValid: ConstraintRef[],
): void {
  const { report, state } = context;
  const table = relation?.relname ?? '';
  const column = unwrap<{
    colname?: string;
    typeName?: never;
    constraints?: Node[];
    location?: number;
    raw_default?: Node;
  }>(cmd.def, 'ColumnDef');
  const constraint = unwrap<Constraint>(cmd.def, 'Constraint');
  switch (cmd.subtype) {
    case 'AT_AddColumn': {
      const reason = column ? rewritingColumnReason(column, state.functionVolatility) : undefined;
      if (reason) report('SG104', `Adding column ${table}.${column?.colname} ${reason}.`, column?.location);
      for (const item of column?.constraints ?? []) {
        const inline = unwrap<Constraint>(item, 'Constraint');
        if (inline) checkAddedConstraint(inline, `${table}.${column?.colname}`, context);
      }
      break;
    }
    case 'AT_AlterColumnType': {
      if (!column) break;
      const target = simpleType(column.typeName);
      const change = classifyTypeChange(
        columnType(state, relation, cmd.name ?? ''),
        target,
        column.raw_default !== undefined,
      );
      if (change === 'rewrite' || change === 'narrowing') {
        report(
          'SG105',
          `Changing ${table}.${cmd.name} to ${typeLabel(target)} rewrites the table and its indexes.`,
          column.location,
        );
      } else if (change === 'unknown') {
        report(
          'SG105',
          `Changing ${table}.${cmd.name} to ${typeLabel(target)} rewrites the table unless the current type is binary-coercible to it (e.g. a shorter varchar).`,
          column.location,
        );
      }
      break;
    }
    case 'AT_SetNotNull':
      if (!hasValidatedNotNullCheck(state, relation, cmd.name ?? '')) {
        report('SG106', `SET NOT NULL on ${table}.${cmd.name} scans the whole table under an ACCESS EXCLUSIVE lock.`);
      }
      break;
    case 'AT_AddConstraint':
      if (constraint) checkAddedConstraint(constraint, table, context);
      break;
    case 'AT_ValidateConstraint': {
      const validated: ConstraintRef = {
        schema: relation?.schemaname,
        table: relation?.relname ?? '',
        name: cmd.name ?? '',
      };
      if (notValid.some((added) => sameConstraint(added, validated))) {
        report(
          'SG118',
          `${cmd.name} on ${table} is added NOT VALID and validated in the same migration: the validation runs under the lock taken by ADD CONSTRAINT, held until commit.`,
        );
      }
      break;
    }
    case 'AT_DetachPartition': {
      const partition = unwrap<{ concurrent?: boolean; name?: RangeVar }>(cmd.def, 'PartitionCmd');
      if (!partition?.concurrent)
        report(
          'SG112',
          `DETACH PARTITION ${partition?.name?.relname} locks all of ${table}.`,
          partition?.name?.location,
        );
      break;
    }
  }
}

/**
 * Lock and validation findings for a constraint added to an existing table, by ADD CONSTRAINT or
 * inline in ADD COLUMN (`where` names the table or the new column). Inline constraints cannot be
 * NOT VALID or USING INDEX, so they always validate and build under the ALTER's lock.
 */
function checkAddedConstraint(constraint: Constraint, where: string, { report }: RuleContext): void {
  if (constraint.contype === 'CONSTR_FOREIGN' && !constraint.skip_validation) {
    const referenced = relationName(constraint.pktable);
    report(
      'SG107',
      `Adding a foreign key on ${where} referencing ${referenced} without NOT VALID validates every row while blocking writes to both tables.`,
      constraint.location,
    );
  }
  if (constraint.contype === 'CONSTR_CHECK' && !constraint.skip_validation) {
    report(
      'SG108',
      `Adding a CHECK constraint on ${where} without NOT VALID scans every row under an ACCESS EXCLUSIVE lock.`,
      constraint.location,
    );
  }
  if ((constraint.contype === 'CONSTR_UNIQUE' || constraint.contype === 'CONSTR_PRIMARY') && !constraint.indexname) {
    const kind = constraint.contype === 'CONSTR_UNIQUE' ? 'UNIQUE' : 'PRIMARY KEY';
    report('SG109', `Adding ${kind} on ${where} builds an index under an ACCESS EXCLUSIVE lock.`, constraint.location);
  }
}

/** Why adding this column rewrites existing rows, or undefined when it is a catalog-only change. */
function rewritingColumnReason(
  column: { typeName?: never; constraints?: Node[] },
  functions: FunctionVolatility = new Map(),
): string | undefined {
  const type = simpleType(column.typeName);
  if (serialTypes.has(type.name)) return `of type ${type.name} (a nextval() default) rewrites the table`;
  for (const item of column.constraints ?? []) {
    const constraint = unwrap<Constraint>(item, 'Constraint');
    if (constraint?.contype === 'CONSTR_IDENTITY') return 'as an identity column rewrites the table';
    if (constraint?.contype === 'CONSTR_GENERATED') return 'as a stored generated column rewrites the table';
    if (constraint?.contype === 'CONSTR_DEFAULT') {
      const call = volatileCall(constraint.raw_expr, functions);
      if (call?.known) return `with the volatile default ${call.name}() rewrites the table`;
      if (call)
        return `with a default calling ${call.name}(), which is not known to be immutable or stable, rewrites the table if it is volatile`;
    }
  }
  return undefined;
}
