import { eq } from 'drizzle-orm';
import { proposals } from '../../db/schema.ts';
import type { Db } from '../database/connection.ts';
import type { PromotionResult } from './promotion-result.ts';
import type { GithubReviewProvider } from '../review/github/github-review-provider.ts';

/**
 * Tells the pull request what happened in production: a comment with the
 * timings and lock retries (or the error), the check state, and on success
 * the merge (unless the deploy should merge it).
 *
 * @example
 * await reportPromotion(db, github, result, { mergeMethod: 'squash', statusMode: 'status' });
 */
export async function reportPromotion(
  db: Db,
  github: GithubReviewProvider,
  result: PromotionResult,
  settings: { mergeMethod: 'merge' | 'squash' | 'rebase' | 'none'; statusMode: 'status' | 'check' },
): Promise<void> {
  if (result.outcome !== 'promoted' && result.outcome !== 'already_applied' && result.outcome !== 'promotion_failed')
    return;
  const [proposal] = await db
    .select({ pullNumber: proposals.pullNumber, pinnedSha: proposals.pinnedSha })
    .from(proposals)
    .where(eq(proposals.id, result.proposalId));
  if (!proposal?.pullNumber || !proposal.pinnedSha) return;
  const ok = result.outcome !== 'promotion_failed';
  await github.comment(proposal.pullNumber, commentBody(result));
  await github.setStatus({
    headSha: proposal.pinnedSha,
    state: ok ? 'success' : 'failure',
    description: ok
      ? `applied to production (${result.lockRetries} lock retries)`
      : `promotion failed: ${result.error?.reason ?? 'error'}`,
    mode: settings.statusMode,
  });
  if (ok && settings.mergeMethod !== 'none') {
    // The sha guards against a head that moved after the approval.
    await github.merge(proposal.pullNumber, { method: settings.mergeMethod, sha: proposal.pinnedSha });
  }
}

function commentBody(result: PromotionResult): string {
  const t = result.timings;
  if (result.outcome === 'promotion_failed') {
    const at = result.error?.migration
      ? ` at line ${result.error.migration.line}, column ${result.error.migration.column}`
      : '';
    return [
      `**schemagate: promotion failed** (${result.error?.reason ?? 'error'})${at}`,
      '',
      `> ${result.error?.message ?? 'unknown error'}`,
      '',
      result.productionUntouched === false
        ? `Steps committed in production: ${result.completedSteps?.join(', ') || 'none'}.`
        : 'Production is untouched.',
      `An operator can retry with \`schemagate promote --retry ${result.proposalId}\`.`,
    ].join('\n');
  }
  return [
    `**schemagate: applied to production** as \`${result.name}\` (sha256 \`${result.sha256.slice(0, 12)}\`).`,
    '',
    `Waited ${Math.round(t.lockWaitMs)} ms for the promotion lock, applied in ${Math.round(t.applyMs)} ms, ${result.lockRetries} lock-timeout retries; ${Math.round(t.totalMs)} ms in all.`,
  ].join('\n');
}
