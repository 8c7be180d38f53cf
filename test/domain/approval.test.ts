import { describe, expect, it } from 'vitest';
import { evaluateApproval, type ReviewInput } from '../../src/domain/approval.ts';

const head = 'a'.repeat(40);
const old = 'b'.repeat(40);
let clock = 0;
const review = (reviewer: string, state: string, overrides: Partial<ReviewInput> = {}): ReviewInput => ({
  reviewer,
  state,
  commitSha: head,
  permission: 'write',
  submittedAt: new Date(++clock * 1000),
  ...overrides,
});
const context = { pinnedSha: head, author: 'schemagate-bot', agentLogin: 'agent-bot', required: 1 };

describe('evaluateApproval', () => {
  it('counts an approval from a writer on the pinned head, in either case', () => {
    expect(evaluateApproval([review('alice', 'approved')], context)).toMatchObject({
      satisfied: true,
      approvedBy: ['alice'],
    });
    expect(evaluateApproval([review('alice', 'APPROVED')], context).satisfied).toBe(true);
  });

  it.each([
    ['the author', review('schemagate-bot', 'APPROVED'), 'the author cannot approve'],
    ["the agent's account", review('Agent-Bot', 'APPROVED'), "the agent's account cannot approve"],
    ['a read-only user', review('rita', 'APPROVED', { permission: 'read' }), 'has read permission'],
    ['a triager', review('tom', 'APPROVED', { permission: 'triage' }), 'has triage permission'],
    ['an old commit', review('alice', 'APPROVED', { commitSha: old }), 'not the pinned head'],
  ])('ignores an approval from %s', (_who, r, reason) => {
    const decision = evaluateApproval([r], context);
    expect(decision.satisfied).toBe(false);
    expect(decision.ignored[0]?.reason).toContain(reason);
  });

  it('counts maintainers and admins', () => {
    const decision = evaluateApproval(
      [review('m', 'APPROVED', { permission: 'maintain' }), review('a', 'APPROVED', { permission: 'admin' })],
      { ...context, required: 2 },
    );
    expect(decision).toMatchObject({ satisfied: true, approvedBy: ['m', 'a'] });
  });

  it('is blocked by an outstanding change request from a writer, even with enough approvals', () => {
    const decision = evaluateApproval(
      [review('alice', 'APPROVED'), review('bob', 'CHANGES_REQUESTED', { commitSha: old })],
      context,
    );
    expect(decision).toMatchObject({ satisfied: false, blockedBy: ['bob'] });
  });

  it('lets a later approval by the same reviewer lift their change request, and a comment not', () => {
    const lifted = evaluateApproval([review('bob', 'CHANGES_REQUESTED'), review('bob', 'APPROVED')], context);
    expect(lifted).toMatchObject({ satisfied: true, blockedBy: [] });
    const commented = evaluateApproval([review('bob', 'CHANGES_REQUESTED'), review('bob', 'COMMENTED')], context);
    expect(commented.blockedBy).toEqual(['bob']);
  });

  it("takes GitHub's review id as the order of reviews submitted in the same second, whatever order they are listed in", () => {
    const second = new Date(5_000);
    const changes = review('bob', 'CHANGES_REQUESTED', { submittedAt: second, reviewId: 11 });
    const approval = review('bob', 'APPROVED', { submittedAt: second, reviewId: 12 });
    expect(evaluateApproval([approval, changes], context)).toMatchObject({ satisfied: true, blockedBy: [] });
    expect(evaluateApproval([{ ...approval, reviewId: 10 }, changes], context)).toMatchObject({
      satisfied: false,
      blockedBy: ['bob'],
    });
  });

  it('drops a dismissed approval', () => {
    expect(evaluateApproval([review('alice', 'APPROVED'), review('alice', 'DISMISSED')], context).satisfied).toBe(
      false,
    );
  });

  it('needs as many distinct reviewers as the risk class requires', () => {
    const twice = [review('alice', 'APPROVED'), review('alice', 'APPROVED')];
    expect(evaluateApproval(twice, { ...context, required: 2 })).toMatchObject({
      satisfied: false,
      approvedBy: ['alice'],
    });
    expect(evaluateApproval([...twice, review('carol', 'APPROVED')], { ...context, required: 2 }).satisfied).toBe(true);
  });

  it('counts only the listed reviewers when the policy names them', () => {
    const decision = evaluateApproval([review('alice', 'APPROVED')], { ...context, allowedReviewers: ['dba-dan'] });
    expect(decision.satisfied).toBe(false);
    expect(
      evaluateApproval([review('DBA-Dan', 'APPROVED')], { ...context, allowedReviewers: ['dba-dan'] }).satisfied,
    ).toBe(true);
  });
});
