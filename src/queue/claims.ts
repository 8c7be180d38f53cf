import { and, eq, sql, type SQL } from 'drizzle-orm';
import { previewRuns, promotions } from '../../db/schema.ts';
import type { DbOrTx } from '../database/connection.ts';

/** Tables of claimable work: status, claimed_by, claim_expires_at, attempts. */
export type JobTable = typeof previewRuns | typeof promotions;

/**
 * Claims the oldest run that is queued, or whose claim outlived its deadline
 * (its worker died). `FOR UPDATE SKIP LOCKED` lets any number of workers
 * claim at once without waiting on each other or taking the same run.
 * `attempts` doubles as a fencing token: only the latest claimant may finish.
 *
 * @example
 * const id = await claimNext(db, previewRuns, 'worker-1', 120_000);
 */
export async function claimNext(
  db: DbOrTx,
  table: JobTable,
  worker: string,
  leaseMs: number,
): Promise<string | undefined> {
  const result = await db.execute<{ id: string }>(sql`
    update ${table}
       set status = 'running',
           claimed_by = ${worker},
           claim_expires_at = now() + make_interval(secs => ${leaseMs / 1000}),
           attempts = attempts + 1
     where id = (
       select id from ${table}
        where status = 'queued' or (status = 'running' and claim_expires_at < now())
        order by created_at
        limit 1
        for update skip locked)
    returning id`);
  return result.rows[0]?.id;
}

/** The condition every write by a claimant carries: the run is still running under its claim. */
export function stillClaimed(table: JobTable, run: { id: string; attempts: number }): SQL | undefined {
  return and(eq(table.id, run.id), eq(table.status, 'running'), eq(table.attempts, run.attempts));
}

/**
 * Extends a claim while its run goes on; false when the claim was lost (its
 * lease ran out and another worker took the run over).
 *
 * @example
 * if (!(await renewClaim(db, promotions, run, 120_000))) return 'lost';
 */
export async function renewClaim(
  db: DbOrTx,
  table: JobTable,
  run: { id: string; attempts: number },
  leaseMs: number,
): Promise<boolean> {
  const result = await db.execute(
    sql`update ${table} set claim_expires_at = ${leaseEnd(leaseMs)} where ${stillClaimed(table, run)} returning id`,
  );
  return result.rows.length === 1;
}

/** `now() + lease`, for claim deadlines. */
const leaseEnd = (leaseMs: number) => sql`now() + make_interval(secs => ${leaseMs / 1000})`;

/**
 * Whether any preview or promotion is waiting to be claimed: queued, or
 * claimed by a worker whose claim expired. Cheap: it decides whether the
 * sweeper starts the background function.
 *
 * @example
 * if (await hasClaimableWork(db)) await startBackgroundJobs(origin, secret, log);
 */
export async function hasClaimableWork(db: DbOrTx): Promise<boolean> {
  const waiting = (table: JobTable) =>
    sql`exists (select from ${table} where status = 'queued' or (status = 'running' and claim_expires_at < now()))`;
  const result = await db.execute<{ found: boolean }>(
    sql`select ${waiting(previewRuns)} or ${waiting(promotions)} as found`,
  );
  return result.rows[0]?.found === true;
}
