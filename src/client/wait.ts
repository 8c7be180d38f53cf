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
   * up to this many seconds per request instead of sleeping between reads
   * (`intervalMs` is then only for a server without the long poll).
   */
  longPollSeconds?: number;
}

/**
 * Watches a proposal until it reaches `until` (or a later happy-path status),
 * ends in a status that can no longer get there, or time runs out. Never
 * throws for time: a caller that must keep its answer (an MCP tool) gets the
 * current state with `timedOut: true`.
 *
 * With `longPollSeconds`, the server holds each read (GET ?wait_for=) until
 * the proposal gets there; a server that answers without holding (no
 * `Schemagate-Wait` header: it predates the long poll) is read every
 * `intervalMs` instead.
 *
 * @example
 * const { reached, timedOut, proposal } = await watchProposal(api, id, { until: 'approved', timeoutMs: 50_000, longPollSeconds: 25 });
 */
export async function watchProposal(api: ApiClient, id: string, options: WatchOptions): Promise<WatchOutcome> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  let longPoll = options.longPollSeconds !== undefined;
  let proposal = await api.get(id);
  for (;;) {
    await options.onPoll?.(proposal, Date.now() - started);
    if (failures[options.until].includes(proposal.status)) return { reached: false, timedOut: false, proposal };
    if (hasReached(proposal.status, options.until)) return { reached: true, timedOut: false, proposal };
    if (Date.now() >= deadline || options.signal?.aborted) return { reached: false, timedOut: true, proposal };
    if (longPoll) {
      const seconds = Math.min(options.longPollSeconds!, Math.max(0, (deadline - Date.now()) / 1000));
      const answer = await holdUntilSettled(api, id, options.until, seconds, options.signal);
      if (!answer) continue; // aborted: the check above answers with the state last read
      proposal = answer.proposal;
      if (answer.held === null) longPoll = false;
      continue;
    }
    await sleep(Math.min(options.intervalMs ?? 1000, Math.max(0, deadline - Date.now())), options.signal);
    if (options.signal?.aborted) continue;
    proposal = await api.get(id);
  }
}

/**
 * One long poll for the target: the server answers when the proposal gets
 * there, ends, or moves on to another status (a failure included), so the
 * caller judges every change as it comes. Null when `signal` aborted it.
 */
async function holdUntilSettled(
  api: ApiClient,
  id: string,
  until: WaitTarget,
  seconds: number,
  signal: AbortSignal | undefined,
): Promise<{ proposal: ProposalView; held: string | null } | null> {
  try {
    return await api.hold(id, { status: until, timeoutSeconds: seconds }, signal);
  } catch (error) {
    if (signal?.aborted) return null;
    throw error;
  }
}

// Under the API's 55 s cap and the idle timeouts of common proxies (60 s).
const defaultLongPollSeconds = 25;

/**
 * Waits, on the server's long poll, until a proposal reaches `until` (or a
 * later happy-path status), or ends in a status that can no longer get there.
 * Throws `timeout`.
 *
 * @example
 * const outcome = await waitFor(api, id, { until: 'approved', timeoutMs: 600_000 });
 */
export async function waitFor(
  api: ApiClient,
  id: string,
  options: {
    until: WaitTarget;
    timeoutMs: number;
    intervalMs?: number;
    longPollSeconds?: number;
    onStatus?: (status: string) => void;
  },
): Promise<WaitOutcome> {
  let last: string | undefined;
  const outcome = await watchProposal(api, id, {
    until: options.until,
    timeoutMs: options.timeoutMs,
    longPollSeconds: options.longPollSeconds ?? defaultLongPollSeconds,
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
  return outcome.reached
    ? { reached: true, proposal: outcome.proposal }
    : { reached: false, proposal: outcome.proposal };
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
