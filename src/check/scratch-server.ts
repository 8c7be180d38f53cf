import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../database/embedded-postgres.ts';

export interface ScratchServer {
  /** Admin URL of a server where a scratch database may be created. */
  url: string;
  kind: 'embedded' | 'database-url';
}

/**
 * Runs `fn` with a Postgres server to replay on: `databaseUrl` when given,
 * otherwise a throwaway embedded Postgres 18 in a temporary directory,
 * stopped and removed afterwards whatever `fn` does.
 *
 * @example
 * const tables = await withScratchServer(undefined, async ({ url }) => replay(url));
 */
export async function withScratchServer<T>(
  databaseUrl: string | undefined,
  fn: (server: ScratchServer) => Promise<T>,
): Promise<T> {
  if (databaseUrl) return fn({ url: databaseUrl, kind: 'database-url' });
  const dir = await mkdtemp(path.join(tmpdir(), 'schemagate-check-'));
  try {
    const embedded = await startEmbeddedPostgres({ dir, ephemeral: true });
    try {
      return await fn({ url: embedded.url, kind: 'embedded' });
    } finally {
      await embedded.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
