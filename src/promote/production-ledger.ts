import type pg from 'pg';
import { advisoryXactLockSql } from '../database/advisory-locks.ts';

/** What schemagate records in production for every migration it applied. */
export interface LedgerEntry {
  /** Netlify's name: the migration file (or directory) name without `.sql`. */
  name: string;
  sha256: string;
  proposalId: string;
  revision: number;
  approvers: string[];
  durationMs: number;
}

/**
 * Creates Netlify's ledger and schemagate's own ledgers in the production
 * database when they are missing. Safe to run concurrently and repeatedly.
 *
 * @example
 * await ensureProductionLedger(productionClient);
 */
export async function ensureProductionLedger(client: pg.ClientBase): Promise<void> {
  // `CREATE ... IF NOT EXISTS` checks the CREATE privilege before it looks: the
  // migrator (see production-role.ts) may write the ledgers without the right to create them.
  const { rows } = await client.query<{ ready: boolean }>(
    `select to_regclass('netlify.migrations') is not null and to_regclass('schemagate.ledger') is not null and to_regclass('schemagate.ledger_steps') is not null as ready`,
  );
  if (rows[0]?.ready) return;
  // Two promotions on different databases of one server never meet here; on one
  // database the advisory lock serialises them, but a concurrent `CREATE ... IF
  // NOT EXISTS` can still fail on the catalog's unique index, hence the lock.
  await client.query(`
    ${advisoryXactLockSql('production_ledger')};
    create schema if not exists netlify;
    create table if not exists netlify.migrations (
      name text primary key,
      applied_at timestamptz not null default now());
    create schema if not exists schemagate;
    create table if not exists schemagate.ledger (
      name text primary key,
      sha256 text not null,
      proposal_id uuid not null,
      revision int not null,
      approvers text[] not null,
      duration_ms int not null,
      applied_at timestamptz not null default now());
    create table if not exists schemagate.ledger_steps (
      name text,
      statement_index int,
      sha256 text,
      completed_at timestamptz,
      primary key (name, statement_index));`);
}

/**
 * The ledger row for a migration name, if schemagate applied it.
 *
 * @example
 * const applied = await findLedgerEntry(client, '20261124103000_add_notes');
 * if (applied?.sha256 === sha256) return 'already applied';
 */
export async function findLedgerEntry(
  client: pg.ClientBase,
  name: string,
): Promise<{ sha256: string; appliedAt: Date } | undefined> {
  const { rows } = await client.query<{ sha256: string; applied_at: Date }>(
    'select sha256, applied_at from schemagate.ledger where name = $1',
    [name],
  );
  const row = rows[0];
  return row ? { sha256: row.sha256, appliedAt: row.applied_at } : undefined;
}

/** Whether Netlify's ledger lists the name (applied by a Netlify deploy, or by schemagate). */
export async function inNetlifyLedger(client: pg.ClientBase, name: string): Promise<boolean> {
  const { rows } = await client.query('select 1 from netlify.migrations where name = $1', [name]);
  return rows.length > 0;
}

/**
 * Writes both ledger rows; the caller runs it in the transaction that applied
 * the migration, so a later Netlify deploy sees the migration as applied
 * exactly when it is.
 *
 * @example
 * await client.query('begin'); await client.query(sql); await writeLedgerRows(client, entry); await client.query('commit');
 */
export async function writeLedgerRows(client: pg.ClientBase, entry: LedgerEntry): Promise<void> {
  await client.query('insert into netlify.migrations (name) values ($1) on conflict (name) do nothing', [entry.name]);
  await client.query(
    `insert into schemagate.ledger (name, sha256, proposal_id, revision, approvers, duration_ms)
     values ($1, $2, $3, $4, $5, $6)`,
    [entry.name, entry.sha256, entry.proposalId, entry.revision, entry.approvers, Math.round(entry.durationMs)],
  );
}

/**
 * Indexes of the statements of a step-by-step migration already applied
 * (for this exact SQL: steps recorded for other bytes do not count).
 *
 * @example
 * const done = await completedSteps(client, name, sha256); // Set { 0, 1 }
 */
export async function completedSteps(client: pg.ClientBase, name: string, sha256: string): Promise<Set<number>> {
  const { rows } = await client.query<{ statement_index: number }>(
    'select statement_index from schemagate.ledger_steps where name = $1 and sha256 = $2 and completed_at is not null',
    [name, sha256],
  );
  return new Set(rows.map((r) => r.statement_index));
}

/**
 * Records one completed step. For a transactional statement the caller runs
 * it in the statement's own transaction, so step and record commit together.
 *
 * @example
 * await recordStep(client, name, sha256, 2);
 */
export async function recordStep(
  client: pg.ClientBase,
  name: string,
  sha256: string,
  statementIndex: number,
): Promise<void> {
  await client.query(
    `insert into schemagate.ledger_steps (name, statement_index, sha256, completed_at) values ($1, $2, $3, now())
     on conflict (name, statement_index) do update set sha256 = excluded.sha256, completed_at = excluded.completed_at`,
    [name, statementIndex, sha256],
  );
}
