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
  const deadline = Date.now() + options.timeoutMs;
  let last: string | undefined;
  for (;;) {
    const proposal = await api.get(id);
    if (proposal.status !== last) options.onStatus?.(proposal.status);
    last = proposal.status;
    if (failures[options.until].includes(proposal.status)) return { reached: false, proposal };
    if ((progress[proposal.status] ?? -1) >= (progress[options.until] ?? Infinity) && proposal.status !== 'changes_requested' && proposal.status !== 'promotion_failed') {
      return { reached: true, proposal };
    }
    if (Date.now() >= deadline) {
      throw new AppError('timeout', `proposal ${id} is still ${proposal.status} after ${Math.round(options.timeoutMs / 1000)} s (waiting for ${options.until})`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs ?? 1000, Math.max(0, deadline - Date.now()))));
  }
}
