import type pg from 'pg';
import { agentSafeError, type WithheldField } from '../database/agent-safe-error.ts';
import type { LockTaken, TableSize } from './measure.ts';
import { lineColumn, type MigrationStatement } from './statements.ts';

export interface MigrationError {
  /** SQLSTATE, e.g. `23502`; `42601` for a syntax error found by the parser; `schemagate` for SQL refused before running. */
  code: string;
  /** Postgres' text as agents may see it (agentSafeError): row data it could quote is withheld. */
  message: string;
  detail?: string;
  hint?: string;
  where?: string;
  /** Fields left out because they can quote row data. */
  withheld?: WithheldField[];
  /** 1-based position of the error in the whole migration file. */
  line: number;
  column: number;
  statementIndex?: number;
  statementText?: string;
  timeout?: 'statement' | 'lock';
}

export interface StatementResult {
  index: number;
  line: number;
  column: number;
  kind: string;
  text: string;
  ok: boolean;
  durationMs: number;
  /** Command rowCount (INSERT/UPDATE/DELETE/CREATE TABLE AS...); null for DDL. */
  rowCount: number | null;
  /** Relation locks the statement acquired (in a transaction: newly held after it; outside: sampled while it ran). */
  locks: LockTaken[];
  /** Tables whose relfilenode changed: rewritten in full. */
  rewritten: string[];
  tables: TableSize[];
}

export interface ApplyResult {
  ok: boolean;
  /** One transaction, or statement by statement when the SQL holds statements that cannot run in a transaction block. */
  mode: 'transaction' | 'autocommit';
  /** Whether any change persisted: false after a failed or rolled-back transaction, true once an autocommit statement succeeded. */
  committed: boolean;
  durationMs: number;
  role: string;
  statements: StatementResult[];
  error?: MigrationError;
}

/**
 * Locates a Postgres error in the whole migration file, keeping only what may
 * reach agents: preview and promotion results are served to them as they are
 * recorded.
 */
export function toMigrationError(error: pg.DatabaseError, sql: string, statement: MigrationStatement): MigrationError {
  // Postgres positions are 1-based characters within the statement we sent.
  const offset = error.position ? statement.offset + Number(error.position) - 1 : statement.offset;
  const timeout =
    error.code === '55P03' && /lock timeout/.test(error.message)
      ? 'lock'
      : error.code === '57014'
        ? 'statement'
        : undefined;
  return {
    code: error.code!,
    ...agentSafeError(
      { code: error.code!, message: error.message, detail: error.detail, hint: error.hint, where: error.where },
      sql,
    ),
    ...lineColumn(sql, offset),
    statementIndex: statement.index,
    statementText: statement.text,
    ...(timeout ? { timeout } : {}),
  };
}
