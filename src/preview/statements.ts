import { loadModule, parseSync, hasSqlDetails } from 'libpg-query';

/** One top-level statement of a migration file, located in that file. */
export interface MigrationStatement {
  index: number;
  /** The statement as written, without the trailing `;`. */
  text: string;
  /** Character offset of `text` in the file (JS string index, not bytes). */
  offset: number;
  line: number;
  column: number;
  /** The parse node type, e.g. `IndexStmt`. */
  kind: string;
  /** False for statements Postgres refuses inside a transaction block. */
  transactional: boolean;
  /** BEGIN, COMMIT, ROLLBACK, SAVEPOINT...: they would break the one-transaction apply. */
  transactionControl: boolean;
}

export type SplitResult =
  | { ok: true; statements: MigrationStatement[] }
  | { ok: false; message: string; offset: number; line: number; column: number };

type Node = Record<string, unknown>;

let loaded: Promise<void> | undefined;

/**
 * Splits a migration into its statements with the real Postgres parser and
 * flags those that cannot run in a transaction block.
 *
 * @example
 * const split = await splitStatements('create index concurrently i on t (a);');
 * // split.ok && split.statements[0].transactional === false
 */
export async function splitStatements(sql: string): Promise<SplitResult> {
  loaded ??= loadModule();
  await loaded;
  let parsed: { stmts?: Array<{ stmt?: Node; stmt_location?: number; stmt_len?: number }> };
  try {
    parsed = parseSync(sql) as typeof parsed;
  } catch (error) {
    if (!hasSqlDetails(error) || !error.sqlDetails) throw error;
    const offset = byteToCharOffset(sql, error.sqlDetails.cursorPosition);
    return { ok: false, message: error.sqlDetails.message, offset, ...lineColumn(sql, offset) };
  }
  // Parser locations are UTF-8 byte offsets; JS strings index UTF-16 units.
  const bytes = Buffer.from(sql, 'utf8');
  const statements: MigrationStatement[] = [];
  for (const raw of parsed.stmts ?? []) {
    const start = raw.stmt_location ?? 0;
    const end = raw.stmt_len === undefined || raw.stmt_len === 0 ? bytes.length : start + raw.stmt_len;
    const slice = bytes.subarray(start, end).toString('utf8');
    const text = slice.trimStart();
    if (text.trim() === '' || !raw.stmt) continue;
    const offset = bytes.subarray(0, start).toString('utf8').length + (slice.length - text.length);
    const [kind, node] = Object.entries(raw.stmt)[0] as [string, Node];
    statements.push({
      index: statements.length,
      text: text.trimEnd(),
      offset,
      ...lineColumn(sql, offset),
      kind,
      transactional: !mustRunOutsideTransaction(kind, node),
      transactionControl: kind === 'TransactionStmt',
    });
  }
  return { ok: true, statements };
}

/** 1-based line and column (in characters) of a character offset. */
export function lineColumn(sql: string, offset: number): { line: number; column: number } {
  const before = sql.slice(0, offset);
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastBreak };
}

function byteToCharOffset(sql: string, byteOffset: number): number {
  return Buffer.from(sql, 'utf8').subarray(0, byteOffset).toString('utf8').length;
}

/** Statements whose execution calls PreventInTransactionBlock in Postgres (15-18). */
function mustRunOutsideTransaction(kind: string, node: Node): boolean {
  switch (kind) {
    case 'IndexStmt':
    case 'DropStmt':
      return node.concurrent === true;
    case 'ReindexStmt': {
      const params = (node.params ?? []) as Array<{ DefElem?: { defname?: string } }>;
      const system = node.kind === 'REINDEX_OBJECT_SYSTEM' || node.kind === 'REINDEX_OBJECT_DATABASE';
      return system || params.some((p) => p.DefElem?.defname === 'concurrently');
    }
    case 'AlterTableStmt': {
      const cmds = (node.cmds ?? []) as Array<{
        AlterTableCmd?: { subtype?: string; def?: { PartitionCmd?: { concurrent?: boolean } } };
      }>;
      return cmds.some(
        (c) =>
          c.AlterTableCmd?.subtype === 'AT_DetachPartition' && c.AlterTableCmd.def?.PartitionCmd?.concurrent === true,
      );
    }
    case 'VacuumStmt':
      return node.is_vacuumcmd === true;
    case 'ClusterStmt':
      return node.relation === undefined;
    case 'CreatedbStmt':
    case 'DropdbStmt':
    case 'AlterSystemStmt':
    case 'CreateTableSpaceStmt':
    case 'DropTableSpaceStmt':
    case 'CreateSubscriptionStmt':
    case 'DropSubscriptionStmt':
      return true;
    default:
      return false;
  }
}
