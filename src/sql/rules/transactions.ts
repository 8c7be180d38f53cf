import type { Node, RangeVar } from 'libpg-query';
import { defElems, unwrap } from '../ast-walk.ts';
import { isNewTable, type MigrationState } from '../state.ts';
import type { StatementRules } from './context.ts';

/**
 * False for statements Postgres refuses to run inside a transaction block. schemagate runs a
 * migration in one transaction unless it holds only such statements (and SET).
 *
 * @example
 * isTransactional(parseMigration('VACUUM t').statements[0].node); // false
 */
export function isTransactional(node: Node): boolean {
  if (unwrap<{ concurrent?: boolean }>(node, 'IndexStmt')?.concurrent) return false;
  if (unwrap<{ concurrent?: boolean }>(node, 'DropStmt')?.concurrent) return false;
  const reindex = unwrap<{ params?: Node[] }>(node, 'ReindexStmt');
  if (reindex && defElems(reindex.params).has('concurrently')) return false;
  if (unwrap<{ is_vacuumcmd?: boolean }>(node, 'VacuumStmt')?.is_vacuumcmd) return false;
  if (unwrap(node, 'CreatedbStmt') || unwrap(node, 'DropdbStmt') || unwrap(node, 'AlterSystemStmt')) return false;
  const alter = unwrap<{ cmds?: Node[] }>(node, 'AlterTableStmt');
  const detachConcurrently = (alter?.cmds ?? []).some((item) => {
    const cmd = unwrap<{ subtype?: string; def?: Node }>(item, 'AlterTableCmd');
    return (
      cmd?.subtype === 'AT_DetachPartition' &&
      unwrap<{ concurrent?: boolean }>(cmd.def, 'PartitionCmd')?.concurrent === true
    );
  });
  return !detachConcurrently;
}

/** SET and RESET can run either way, so they do not force a transaction. */
export function isNeutral(kind: string): boolean {
  return kind === 'VariableSetStmt' || kind === 'VariableShowStmt';
}

// ALTER TABLE subcommands that take a lock weaker than ACCESS EXCLUSIVE.
const weakerAlterTable = new Set([
  'AT_ValidateConstraint',
  'AT_SetStatistics',
  'AT_AttachPartition',
  'AT_DetachPartition',
  'AT_SetOptions',
  'AT_ResetOptions',
  'AT_EnableTrig',
  'AT_DisableTrig',
  'AT_EnableAlwaysTrig',
  'AT_EnableReplicaTrig',
  'AT_ClusterOn',
  'AT_DropCluster',
]);

/** The existing relation a statement locks in ACCESS EXCLUSIVE mode, if any. */
function accessExclusiveTarget(node: Node, state: MigrationState): RangeVar | undefined {
  const existing = (relation: RangeVar | undefined) =>
    relation && !isNewTable(state, relation) ? relation : undefined;
  const alter = unwrap<{ relation?: RangeVar; cmds?: Node[] }>(node, 'AlterTableStmt');
  if (alter) {
    const strong = (alter.cmds ?? []).some((item) => {
      const cmd = unwrap<{ subtype?: string; def?: Node }>(item, 'AlterTableCmd');
      const foreignKey = unwrap<{ contype?: string }>(cmd?.def, 'Constraint')?.contype === 'CONSTR_FOREIGN';
      return !weakerAlterTable.has(cmd?.subtype ?? '') && !foreignKey;
    });
    return strong ? existing(alter.relation) : undefined;
  }
  const drop = unwrap<{ removeType?: string; concurrent?: boolean }>(node, 'DropStmt');
  if (drop?.removeType === 'OBJECT_TABLE') return { relname: 'the dropped table' };
  if (drop?.removeType === 'OBJECT_INDEX' && !drop.concurrent) return { relname: "the dropped index's table" };
  const truncate = unwrap<{ relations?: Node[] }>(node, 'TruncateStmt');
  if (truncate) return existing(unwrap<RangeVar>(truncate.relations?.[0], 'RangeVar'));
  const rename = unwrap<{ relation?: RangeVar }>(node, 'RenameStmt');
  if (rename?.relation) return existing(rename.relation);
  const vacuum = unwrap<{ options?: Node[] }>(node, 'VacuumStmt');
  if (vacuum && defElems(vacuum.options).has('full')) return { relname: 'the vacuumed table' };
  const cluster = unwrap<{ relation?: RangeVar }>(node, 'ClusterStmt');
  if (cluster) return cluster.relation ?? { relname: 'every clustered table' };
  const refresh = unwrap<{ concurrent?: boolean; relation?: RangeVar }>(node, 'RefreshMatViewStmt');
  if (refresh && !refresh.concurrent) return existing(refresh.relation);
  const lock = unwrap<{ relations?: Node[]; mode?: number }>(node, 'LockStmt');
  if (lock && (lock.mode ?? 8) === 8) return existing(unwrap<RangeVar>(lock.relations?.[0], 'RangeVar'));
  return undefined;
}

/** Transaction shape (SG111) and lock_timeout (SG114). */
export const checkTransactions: StatementRules = (node, { report, state, statement, statements }) => {
  if (!isTransactional(node)) {
    const transactional = statements.filter(
      (other) => other.transactional && !isNeutral(other.kind) && other.kind !== 'TransactionStmt',
    );
    if (state.inExplicitTransaction) {
      report('SG111', `${statement.kind} cannot run inside the transaction opened by BEGIN earlier in this file.`);
    } else if (transactional.length > 0) {
      const first = transactional[0]!;
      report(
        'SG111',
        `${statement.kind} must be alone or only with other non-transactional statements, but this migration also holds ${transactional.length} transactional statement(s) (first: #${first.index + 1}, ${first.kind} at line ${first.span.line}).`,
      );
    }
  }
  const target = accessExclusiveTarget(node, state);
  if (target && !state.lockTimeoutSet && !state.lockTimeoutReported) {
    state.lockTimeoutReported = true;
    report(
      'SG114',
      `This statement takes an ACCESS EXCLUSIVE lock on ${target.relname} with no lock_timeout set earlier in the file; schemagate sets its own lock_timeout when it applies the migration.`,
    );
  }
};
