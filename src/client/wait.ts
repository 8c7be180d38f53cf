import { AppError } from '../errors.ts';
import type { ApiClient, ProposalView } from './api-client.ts';

export const waitTargets = ['awaiting_review', 'approved', 'promoted'] as const;
export type WaitTarget = (typeof waitTargets)[number];

// How far along the happy path each status is; a status at or past the
// target's rank means the wait is over.
const progress: Record<string, number> = {
  received: 0,
  stale: 0,
  previewing: 1,
  awaiting_review: 2,
  changes_requested: 2,
  approved: 3,
  promoting: 4,
  promotion_failed: 4,
  promoted: 5,
};

const failures: Record<WaitTarget, readonly string[]> = {
  awaiting_review: ['preview_failed', 'rejected', 'withdrawn', 'expired'],
  approved: ['preview_failed', 'changes_requested', 'rejected', 'withdrawn', 'expired'],
  promoted: ['preview_failed', 'changes_requested', 'promotion_failed', 'rejected', 'withdrawn', 'expired'],
};

export type WaitOutcome = { reached: true; proposal: ProposalView } | { reached: false; proposal: ProposalView };

/** Where a watch stopped: the target reached, missed for good, or still open when time ran out. */
export type WatchOutcome = { reached: boolean; timedOut: boolean; proposal: ProposalView };

export interface WatchOptions {
  until: WaitTarget;
  timeoutMs: number;
  intervalMs?: number;
  /** Called after every read of the proposal, with the milliseconds waited so far. */
  onPoll?: (proposal: ProposalView, elapsedMs: number) => void | Promise<void>;
  /** Stops the watch early; the outcome is then the state last read, as when time runs out. */
  signal?: AbortSignal;
  /**
   * After the first read, wait on the server's long poll (GET ?wait_for=) for
   * up to this many seconds per request instead of sleeping between reads.
   */
  longPollSeconds?: number;
}

/**
 * Polls a proposal until it reaches `until` (or a later happy-path status),
 * ends in a status that can no longer get there, or time runs out. Never
 * throws for time: a caller that must keep its answer (an MCP tool) gets the
 * current state with `timedOut: true`.
 *
 * @example
 * const { reached, timedOut, proposal } = await watchProposal(api, id, { until: 'approved', timeoutMs: 50_000 });
 */
export async function watchProposal(api: ApiClient, id: string, options: WatchOptions): Promise<WatchOutcome> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  let first = true;
  for (;;) {
    const left = (deadline - Date.now()) / 1000;
    const longPoll = !first && options.longPollSeconds !== undefined;
    const proposal = longPoll ? await api.get(id, { status: options.until, timeoutSeconds: Math.min(options.longPollSeconds!, Math.max(0, left)) }) : await api.get(id);
    first = false;
    await options.onPoll?.(proposal, Date.now() - started);
    if (failures[options.until].includes(proposal.status)) return { reached: false, timedOut: false, proposal };
    if (hasReached(proposal.status, options.until)) return { reached: true, timedOut: false, proposal };
    if (Date.now() >= deadline || options.signal?.aborted) return { reached: false, timedOut: true, proposal };
    if (options.longPollSeconds !== undefined) continue;
    await sleep(Math.min(options.intervalMs ?? 1000, Math.max(0, deadline - Date.now())), options.signal);
  }
}

/**
 * Polls a proposal until it reaches `until` (or a later happy-path status),
 * or ends in a status that can no longer get there. Throws `timeout`.
 *
 * @example
 * const outcome = await waitFor(api, id, { until: 'approved', timeoutMs: 600_000 });
 */
export async function waitFor(
  api: ApiClient,
  id: string,
  options: { until: WaitTarget; timeoutMs: number; intervalMs?: number; onStatus?: (status: string) => void },
): Promise<WaitOutcome> {
  let last: string | undefined;
  const outcome = await watchProposal(api, id, {
    until: options.until,
    timeoutMs: options.timeoutMs,
    ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
    onPoll: (proposal) => {
      if (proposal.status !== last) options.onStatus?.(proposal.status);
      last = proposal.status;
    },
  });
  if (outcome.timedOut) {
    throw new AppError(
      'timeout',
      `proposal ${id} is still ${outcome.proposal.status} after ${Math.round(options.timeoutMs / 1000)} s (waiting for ${options.until})`,
    );
  }
  return outcome.reached ? { reached: true, proposal: outcome.proposal } : { reached: false, proposal: outcome.proposal };
}

function hasReached(status: string, until: WaitTarget): boolean {
  if (status === 'changes_requested' || status === 'promotion_failed') return false;
  return (progress[status] ?? -1) >= (progress[until] ?? Infinity);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
