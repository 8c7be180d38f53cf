// The proposal lifecycle of DESIGN.md, in one place. Every status change goes
// through `nextStatus`; anything not listed here is an illegal transition.
import { AppError } from '../errors.ts';

export const statuses = [
  'received',
  'previewing',
  'preview_failed',
  'awaiting_review',
  'changes_requested',
  'stale',
  'approved',
  'promoting',
  'promoted',
  'promotion_failed',
  'rejected',
  'withdrawn',
  'expired',
] as const;
export type Status = (typeof statuses)[number];

export const terminalStatuses: readonly Status[] = ['promoted', 'rejected', 'withdrawn', 'expired'];

/** States a reviewer or the agent may still end: everything but `promoting` and the terminal ones. */
const open: Status[] = statuses.filter((s) => s !== 'promoting' && !terminalStatuses.includes(s));

// A revision is new SQL: it may replace anything not yet on its way to production.
const revisable: Status[] = open;

const transitions = {
  submit: { from: [], to: 'received' },
  revise: { from: revisable, to: 'received' },
  start_preview: { from: ['received', 'stale'], to: 'previewing' },
  preview_succeeded: { from: ['previewing'], to: 'awaiting_review' },
  preview_failed: { from: ['previewing'], to: 'preview_failed' },
  request_changes: { from: ['awaiting_review', 'approved'], to: 'changes_requested' },
  approve: { from: ['awaiting_review', 'changes_requested'], to: 'approved' },
  // New commits on the reviewed branch void the approvals given before them.
  void_approval: { from: ['approved'], to: 'awaiting_review' },
  production_moved: { from: ['awaiting_review', 'changes_requested', 'approved'], to: 'stale' },
  start_promotion: { from: ['approved', 'promotion_failed'], to: 'promoting' },
  promotion_succeeded: { from: ['promoting'], to: 'promoted' },
  promotion_failed: { from: ['promoting'], to: 'promotion_failed' },
  reject: { from: open, to: 'rejected' },
  withdraw: { from: open, to: 'withdrawn' },
  expire: { from: open, to: 'expired' },
} as const satisfies Record<string, { from: readonly Status[]; to: Status }>;

export type LifecycleEvent = keyof typeof transitions;

/**
 * The status a proposal moves to when `event` happens in status `from`.
 * Throws `illegal_transition` when the lifecycle does not allow it.
 *
 * @example
 * nextStatus('awaiting_review', 'approve'); // 'approved'
 * nextStatus('promoted', 'withdraw');       // throws illegal_transition
 */
export function nextStatus(from: Status, event: LifecycleEvent): Status {
  const transition = transitions[event];
  if (!canHappen(from, event)) {
    const allowed = transition.from.length > 0 ? transition.from.join(', ') : 'no existing status';
    throw new AppError(
      'illegal_transition',
      `cannot ${event.replaceAll('_', ' ')} a proposal that is ${from}; allowed from: ${allowed}`,
      { status: from, event },
    );
  }
  return transition.to;
}

/**
 * Whether the lifecycle lets `event` happen to a proposal in `status`: the
 * question to ask before acting, where `nextStatus` would throw.
 *
 * @example
 * canHappen('changes_requested', 'approve'); // true
 * canHappen('promoting', 'revise');          // false
 */
export function canHappen(status: Status, event: LifecycleEvent): boolean {
  return (transitions[event].from as readonly Status[]).includes(status);
}

/**
 * The statuses `event` may happen in, in lifecycle order.
 *
 * @example
 * allowedFrom('approve'); // ['awaiting_review', 'changes_requested']
 */
export function allowedFrom(event: LifecycleEvent): readonly Status[] {
  return statuses.filter((s) => canHappen(s, event));
}

/** The status a new proposal starts in. */
export const initialStatus: Status = transitions.submit.to;

export function isStatus(value: string): value is Status {
  return (statuses as readonly string[]).includes(value);
}
