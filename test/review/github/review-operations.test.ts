import { describe, expect, it } from 'vitest';
import type { GithubReviewProvider } from '../../../src/review/github/github-review-provider.ts';
import { useGithubStandin } from '../../support/github-standin/expect-contract.ts';
import type { GithubStandin } from '../../support/github-standin/github-standin.ts';
import { standinProvider } from './standin-client.ts';

const MIGRATION = 'netlify/database/migrations/20261124103000_add_notes.sql';

async function opened(
  github: GithubStandin,
): Promise<{ provider: GithubReviewProvider; pullNumber: number; headSha: string }> {
  const provider = standinProvider(github);
  const review = await provider.openReview({
    baseBranch: 'main',
    proposalId: 'p_ops',
    migrationPath: MIGRATION,
    sql: 'create table notes (id int);\n',
    title: 'Add notes',
    body: 'report',
  });
  return { provider, pullNumber: review.pullNumber, headSha: review.headSha };
}

describe('GitHub review operations', () => {
  const standin = useGithubStandin();

  it('lists reviews with upper-case states and the commit each was given on', async () => {
    const github = standin.current;
    const { provider, pullNumber, headSha } = await opened(github);
    github.submitReview({ pullNumber, login: 'alice', state: 'CHANGES_REQUESTED' });
    const pushed = await github.pushCommit({
      branch: 'schemagate/p_ops',
      login: 'mallory',
      files: { [MIGRATION]: 'drop table users;\n' },
    });
    github.submitReview({ pullNumber, login: 'bob', state: 'APPROVED', commitId: headSha });
    const dismissed = github.submitReview({ pullNumber, login: 'carol', state: 'APPROVED' });
    github.dismissReview(dismissed.id);

    const reviews = await provider.listReviews(pullNumber);

    expect(reviews.map(({ login, state, commitId }) => ({ login, state, commitId }))).toEqual([
      { login: 'alice', state: 'CHANGES_REQUESTED', commitId: headSha },
      { login: 'bob', state: 'APPROVED', commitId: headSha },
      { login: 'carol', state: 'DISMISSED', commitId: pushed.after },
    ]);
    expect(reviews[0]!.submittedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('reads all pages of reviews', async () => {
    const github = standin.current;
    const { provider, pullNumber } = await opened(github);
    for (let i = 0; i < 105; i += 1) github.submitReview({ pullNumber, login: `reviewer${i}`, state: 'COMMENTED' });

    const reviews = await provider.listReviews(pullNumber);

    expect(reviews).toHaveLength(105);
    expect(github.requestsFor('pulls/list-reviews')).toHaveLength(2);
  });

  it('folds maintain into write and triage into read, and keeps the real role', async () => {
    const github = standin.current;
    const provider = standinProvider(github);
    github.addUser('ada', 'admin');
    github.addUser('max', 'maintain');
    github.addUser('wes', 'write');
    github.addUser('tia', 'triage');
    github.addUser('ray', 'read');
    github.addUser('nob', 'none');

    const answers = Object.fromEntries(
      await Promise.all(
        ['ada', 'max', 'wes', 'tia', 'ray', 'nob', 'ghost'].map(async (login) => [
          login,
          await provider.getPermission(login),
        ]),
      ),
    );

    expect(answers).toEqual({
      ada: { permission: 'admin', roleName: 'admin' },
      max: { permission: 'write', roleName: 'maintain' },
      wes: { permission: 'write', roleName: 'write' },
      tia: { permission: 'read', roleName: 'triage' },
      ray: { permission: 'read', roleName: 'read' },
      nob: { permission: 'none', roleName: 'none' },
      ghost: { permission: 'none', roleName: 'none' },
    });
  });

  it('reports the pull request head, author and state, following a push', async () => {
    const github = standin.current;
    const { provider, pullNumber, headSha } = await opened(github);
    expect(await provider.getPullRequest(pullNumber)).toMatchObject({
      headSha,
      author: 'schemagate-bot',
      state: 'open',
      merged: false,
      headRef: 'schemagate/p_ops',
      baseRef: 'main',
    });

    const { after } = await github.pushCommit({
      branch: 'schemagate/p_ops',
      login: 'alice',
      files: { 'README.md': 'changed\n' },
    });

    expect((await provider.getPullRequest(pullNumber)).headSha).toBe(after);
    github.closePullRequest(pullNumber);
    expect(await provider.getPullRequest(pullNumber)).toMatchObject({ state: 'closed', merged: false });
  });

  it('merges only the approved head: a moved head is reported, not merged', async () => {
    const github = standin.current;
    const { provider, pullNumber, headSha } = await opened(github);
    await github.pushCommit({
      branch: 'schemagate/p_ops',
      login: 'mallory',
      files: { [MIGRATION]: 'drop table users;\n' },
    });

    const refused = await provider.merge(pullNumber, { method: 'squash', sha: headSha });

    expect(refused).toEqual({
      merged: false,
      reason: 'head_moved',
      message: 'Head branch was modified. Review and try the merge again.',
    });
    expect(github.pull(pullNumber).state).toBe('open');
    const current = (await provider.getPullRequest(pullNumber)).headSha;
    const merged = await provider.merge(pullNumber, { method: 'squash', sha: current });
    expect(merged).toEqual({ merged: true, sha: await github.branchSha('main') });
    expect((await github.fileAt('main', MIGRATION))?.toString()).toBe('drop table users;\n');
    expect(await provider.merge(pullNumber, { method: 'squash', sha: current })).toMatchObject({
      merged: false,
      reason: 'not_mergeable',
    });
  });

  it('reads the exact bytes at a commit, and nothing for a file that is not there', async () => {
    const github = standin.current;
    const { provider, headSha } = await opened(github);
    const main = (await github.branchSha('main'))!;

    expect((await provider.getFileAtCommit(MIGRATION, headSha))?.content.toString()).toBe(
      'create table notes (id int);\n',
    );
    expect(await provider.getFileAtCommit(MIGRATION, main)).toBeUndefined();
  });

  it('posts and edits a comment on the pull request', async () => {
    const github = standin.current;
    const { provider, pullNumber } = await opened(github);

    const posted = await provider.comment(pullNumber, 'Preview running…');
    await provider.updateComment(posted.id, 'Preview finished in 1.2 s.');

    expect(github.state.comments).toEqual([
      expect.objectContaining({
        id: posted.id,
        issueNumber: pullNumber,
        body: 'Preview finished in 1.2 s.',
        login: 'schemagate-bot',
      }),
    ]);
    expect(posted.url).toContain(`/pull/${pullNumber}#issuecomment-${posted.id}`);
  });
});
