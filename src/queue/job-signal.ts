import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { DbOrTx } from '../database/connection.ts';

/** The Postgres channel a worker listens on: any process that queued work says so there. */
const jobsChannel = 'schemagate_jobs';

/**
 * Wakes every listening worker on this control plane. Postgres delivers a
 * notification when its transaction commits (and drops it on rollback), so
 * call it inside the transaction that queues the work: a woken worker finds
 * the work, and work never queued wakes nobody. Outside a transaction it is
 * sent at once.
 *
 * @example
 * await db.transaction(async (tx) => {
 *   await tx.insert(promotions).values({ ... });
 *   await notifyJobs(tx);
 * });
 */
export async function notifyJobs(db: DbOrTx): Promise<void> {
  await db.execute(sql`select pg_notify(${jobsChannel}, '')`);
}

/**
 * Calls `wake` on every notification on the jobs channel, on a connection of
 * its own (LISTEN holds it), reconnecting after a lost connection. A worker
 * keeps its slow poll as well, for writers that do not notify.
 *
 * @example
 * const listener = listenForJobs(url, () => worker.tick(), console.error);
 * await listener.ready;
 * await listener.stop();
 */
export function listenForJobs(
  url: string,
  wake: () => void,
  log: (line: string) => void,
): { ready: Promise<void>; stop(): Promise<void> } {
  let client: pg.Client | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', () => wake());
    c.on('error', () => {
      // Lost: the poll covers the gap until the next connection is listening.
      if (client === c) client = undefined;
      if (!stopped) retry = setTimeout(() => void connect(), 1000);
    });
    try {
      await c.connect();
      await c.query(`listen ${jobsChannel}`);
      if (stopped) return void (await c.end());
      client = c;
      // Work queued while not listening: look once now.
      wake();
    } catch (error) {
      log(`jobs worker: cannot listen for new work (${(error as Error).message}); polling only`);
      await c.end().catch(() => {});
      if (!stopped) retry = setTimeout(() => void connect(), 5000);
    } finally {
      markReady();
    }
  };
  void connect();
  return {
    /** Settles once the first attempt to listen has listened or failed. */
    ready,
    stop: async () => {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
