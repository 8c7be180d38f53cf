import { expect } from 'vitest';
import type { HttpDeps } from '../../src/http/deps.ts';
import { handleApi } from '../../src/http/router.ts';
import { processNextPreview, type PreviewOutcome } from '../../src/jobs/preview-worker.ts';
import { createTestApp } from './app.ts';
import { startApiServer } from './api-server.ts';

/**
 * The test app behind a real API server that records every read of a proposal
 * (`GET /api/proposals/<id>`): what `describe` takes from its URL, and `held`,
 * the Schemagate-Wait answer once answered. `withoutLongPoll` drops the query
 * first, as a server from before the long poll did.
 *
 * @example
 * const { url, seen, reads, preview } = await startRecordingApi((u) => ({ query: u.search }));
 * await reads(2); // resolves once the server has seen two reads
 */
export async function startRecordingApi<T extends object>(
  describe: (url: URL) => T,
  options: { withoutLongPoll?: boolean } = {},
) {
  const app = await createTestApp();
  const seen: Array<T & { held?: string | null }> = [];
  const listeners: Array<() => void> = [];
  const handler = async (request: Request, deps: HttpDeps) => {
    const url = new URL(request.url);
    if (request.method !== 'GET' || !/^\/api\/proposals\/[^/]+$/.test(url.pathname)) return handleApi(request, deps);
    const entry: T & { held?: string | null } = describe(url);
    seen.push(entry);
    listeners.splice(0).forEach((l) => l());
    const forwarded = options.withoutLongPoll
      ? new Request(new URL(url.pathname, url), { headers: request.headers, signal: request.signal })
      : request;
    const response = await handleApi(forwarded, deps);
    entry.held = response.headers.get('schemagate-wait');
    return response;
  };
  const url = await startApiServer(app.deps, handler);
  /** Resolves once the server has seen `count` reads of the proposal. */
  const reads = async (count: number) => {
    while (seen.length < count) await new Promise<void>((resolve) => listeners.push(resolve));
  };
  /** Finishes the queued preview with `outcome`, as the preview worker would. */
  const preview = async (outcome: PreviewOutcome) => {
    expect(
      await processNextPreview({ db: app.database.db, execute: async () => outcome, worker: 'test', leaseMs: 5000 }),
    ).toBe('completed');
  };
  return { app, url, seen, reads, preview };
}
