import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useGithubStandin } from '../../support/github-standin/expect-contract.ts';
import { standinProvider } from './standin-client.ts';

const MIGRATION = 'netlify/database/migrations/20261124103000_add_notes.sql';
// Non-ASCII and a CRLF on purpose: the committed bytes must survive base64 and git untouched.
const SQL = "create table notes (\r\n  id bigint primary key,\n  body text not null default '–'\n);\n";

function input(overrides: Record<string, unknown> = {}) {
  return {
    baseBranch: 'main',
    proposalId: 'p_42',
    migrationPath: MIGRATION,
    sql: SQL,
    title: 'Add notes table',
    body: '## schemagate report\n\nrisk: low',
    labels: ['schemagate', 'database'],
    reviewers: ['alice'],
    teamReviewers: ['dba'],
    ...overrides,
  };
}

describe('openReview against the GitHub stand-in', () => {
  const standin = useGithubStandin();

  it('creates the branch from main, commits the migration, opens the PR with labels and reviewers', async () => {
    const github = standin.current;
    github.addUser('alice', 'write');
    github.addTeam('dba');
    const mainBefore = await github.branchSha('main');
    const provider = standinProvider(github);

    const result = await provider.openReview(input());

    expect(result).toMatchObject({ pullNumber: 1, branch: 'schemagate/p_42', created: true, skippedReviewers: [] });
    expect(result.url).toBe(`${github.url}/_web/acme/shop/pull/1`);
    expect(await github.branchSha('schemagate/p_42')).toBe(result.headSha);
    expect(await github.branchSha('main')).toBe(mainBefore);
    const pull = github.pull(1);
    expect(pull).toMatchObject({
      title: 'Add notes table',
      body: '## schemagate report\n\nrisk: low',
      headRef: 'schemagate/p_42',
      baseRef: 'main',
      headSha: result.headSha,
      author: 'schemagate-bot',
      labels: ['schemagate', 'database'],
      requestedReviewers: ['alice'],
      requestedTeams: ['dba'],
    });
    const bytes = await github.fileAt(result.headSha, MIGRATION);
    expect(bytes?.equals(Buffer.from(SQL, 'utf8'))).toBe(true);
    const approved = await provider.getFileAtCommit(MIGRATION, result.headSha);
    expect(createHash('sha256').update(approved!.content).digest('hex')).toBe(
      createHash('sha256').update(SQL, 'utf8').digest('hex'),
    );
    expect(await provider.listPullFiles(1)).toEqual([
      expect.objectContaining({ filename: MIGRATION, status: 'added', blobSha: approved!.blobSha, additions: 4 }),
    ]);
  });

  it('re-running after a crash reuses the branch and the PR instead of duplicating them', async () => {
    const github = standin.current;
    github.addUser('alice', 'write');
    github.addTeam('dba');
    const provider = standinProvider(github);
    const first = await provider.openReview(input());

    const second = await provider.openReview(input());

    expect(second).toMatchObject({
      pullNumber: first.pullNumber,
      headSha: first.headSha,
      branch: first.branch,
      created: false,
    });
    expect(github.state.pulls.size).toBe(1);
    const createRefs = github.requestsFor('git/create-ref');
    expect(createRefs.map((r) => r.status)).toEqual([201, 422]);
    expect(github.requestsFor('pulls/create')).toHaveLength(1);
    expect(github.requestsFor('repos/create-or-update-file-contents')).toHaveLength(1);
    expect([...(await github.state.git.refs('refs/heads/')).keys()].sort()).toEqual([
      'refs/heads/main',
      'refs/heads/schemagate/p_42',
    ]);
  });

  it('resumes a run that died after committing but before the PR was opened', async () => {
    const github = standin.current;
    const provider = standinProvider(github, { retries: 1 });
    const plain = input({ labels: [], reviewers: [], teamReviewers: [] });
    github.failNext('pulls/create', 2, 503);
    await expect(provider.openReview(plain)).rejects.toMatchObject({ code: 'unavailable', status: 503 });
    const committed = await github.branchSha('schemagate/p_42');
    expect(github.state.pulls.size).toBe(0);

    const again = await provider.openReview(plain);

    expect(again).toMatchObject({ pullNumber: 1, headSha: committed, created: true });
    expect(github.requestsFor('repos/create-or-update-file-contents')).toHaveLength(1);
    expect(github.requestsFor('pulls/create').map((r) => r.status)).toEqual([503, 503, 201]);
  });

  it('updates the existing file with its blob sha when the branch already holds other SQL', async () => {
    const github = standin.current;
    const provider = standinProvider(github);
    const first = await provider.openReview(input({ labels: [], reviewers: [], teamReviewers: [] }));

    const second = await provider.openReview(
      input({ sql: 'select 2;\n', labels: [], reviewers: [], teamReviewers: [] }),
    );

    expect(second.headSha).not.toBe(first.headSha);
    const puts = github.requestsFor('repos/create-or-update-file-contents');
    expect(puts.map((r) => r.status)).toEqual([201, 200]);
    expect((puts[1]!.body as { sha?: string }).sha).toMatch(/^[0-9a-f]{40}$/);
    expect((await github.fileAt(second.headSha, MIGRATION))?.toString()).toBe('select 2;\n');
  });

  it('a revision adds a commit to the same branch and edits the report in place', async () => {
    const github = standin.current;
    const provider = standinProvider(github);
    const opened = await provider.openReview(input({ labels: [], reviewers: [], teamReviewers: [] }));
    const revisedSql = `${SQL}create index concurrently notes_body on notes (body);\n`;

    const revision = await provider.updateReview({
      pullNumber: opened.pullNumber,
      migrationPath: MIGRATION,
      sql: revisedSql,
      body: '## report v2',
    });

    expect(revision.committed).toBe(true);
    expect(revision.headSha).not.toBe(opened.headSha);
    const info = await github.state.git.commitInfo(revision.headSha);
    expect(info.parents).toEqual([opened.headSha]);
    expect(github.pull(opened.pullNumber)).toMatchObject({
      headSha: revision.headSha,
      body: '## report v2',
      title: 'Add notes table',
    });
    expect((await github.fileAt(revision.headSha, MIGRATION))?.toString('utf8')).toBe(revisedSql);
    expect(github.requestsFor('pulls/create')).toHaveLength(1);
  });

  it('refuses a revision of a merged pull request', async () => {
    const github = standin.current;
    const provider = standinProvider(github);
    const opened = await provider.openReview(input({ labels: [], reviewers: [], teamReviewers: [] }));
    await github.mergePullRequest(opened.pullNumber, { login: 'alice' });

    await expect(
      provider.updateReview({ pullNumber: opened.pullNumber, migrationPath: MIGRATION, sql: 'select 1;', body: 'x' }),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('is merged'),
    });
  });

  it('skips a reviewer GitHub refuses (the author) and still requests the others', async () => {
    const github = standin.current;
    github.addUser('alice', 'write');
    const provider = standinProvider(github);

    const result = await provider.openReview(input({ reviewers: ['schemagate-bot', 'alice'], teamReviewers: [] }));

    expect(result.skippedReviewers).toEqual(['schemagate-bot']);
    expect(github.pull(result.pullNumber).requestedReviewers).toEqual(['alice']);
    expect(github.requestsFor('pulls/request-reviewers').map((r) => r.status)).toEqual([422, 422, 201]);
  });

  it('rejects a proposal id that cannot name a branch before calling GitHub', async () => {
    const github = standin.current;
    const provider = standinProvider(github);

    await expect(provider.openReview(input({ proposalId: '../main' }))).rejects.toMatchObject({
      code: 'validation_failed',
    });
    expect(github.requests).toEqual([]);
  });
});
