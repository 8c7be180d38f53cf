import { describe, expect, it } from 'vitest';
import { nextStatus, statuses, terminalStatuses, type LifecycleEvent } from '../../src/domain/lifecycle.ts';

describe('proposal lifecycle', () => {
  it.each([
    ['received', 'start_preview', 'previewing'],
    ['previewing', 'preview_succeeded', 'awaiting_review'],
    ['previewing', 'preview_failed', 'preview_failed'],
    ['awaiting_review', 'approve', 'approved'],
    ['awaiting_review', 'request_changes', 'changes_requested'],
    ['awaiting_review', 'production_moved', 'stale'],
    ['stale', 'start_preview', 'previewing'],
    ['approved', 'start_promotion', 'promoting'],
    ['promoting', 'promotion_succeeded', 'promoted'],
    ['promoting', 'promotion_failed', 'promotion_failed'],
    ['promotion_failed', 'start_promotion', 'promoting'],
    ['approved', 'revise', 'received'],
    ['preview_failed', 'revise', 'received'],
  ] as const)('%s --%s--> %s', (from, event, to) => {
    expect(nextStatus(from, event)).toBe(to);
  });

  it('ends any open state by reject, withdraw or expire', () => {
    for (const from of statuses.filter((s) => s !== 'promoting' && !terminalStatuses.includes(s))) {
      for (const event of ['reject', 'withdraw', 'expire'] as LifecycleEvent[]) {
        expect(() => nextStatus(from, event)).not.toThrow();
      }
    }
  });

  it('lets nothing leave a terminal state', () => {
    const events: LifecycleEvent[] = [
      'revise',
      'start_preview',
      'approve',
      'withdraw',
      'reject',
      'expire',
      'start_promotion',
    ];
    for (const from of terminalStatuses) {
      for (const event of events) {
        expect(() => nextStatus(from, event), `${from} ${event}`).toThrow(
          expect.objectContaining({ code: 'illegal_transition' }),
        );
      }
    }
  });

  it('cannot withdraw or revise a proposal while it is being promoted', () => {
    expect(() => nextStatus('promoting', 'withdraw')).toThrow(/cannot withdraw a proposal that is promoting/);
    expect(() => nextStatus('promoting', 'revise')).toThrow(/illegal|cannot revise/);
  });

  it('approves only after a preview succeeded', () => {
    for (const from of ['received', 'previewing', 'preview_failed', 'stale'] as const) {
      expect(() => nextStatus(from, 'approve')).toThrow(expect.objectContaining({ code: 'illegal_transition' }));
    }
  });
});
