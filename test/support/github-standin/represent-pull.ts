import { nodeId, repository, simpleUser } from './represent-repository.ts';
import { label } from './represent-objects.ts';
import type { PullRecord, StandinState } from './standin-state.ts';

/** The part of `pull-request` that `pull-request-simple` shares. */
async function pullCommon(state: StandinState, pull: PullRecord): Promise<Record<string, unknown>> {
  const api = `${state.repoApi}/pulls/${pull.number}`;
  const issue = `${state.repoApi}/issues/${pull.number}`;
  const html = `${state.htmlBase}/pull/${pull.number}`;
  const repo = repository(state);
  const baseSha = (await state.git.resolve(`refs/heads/${pull.baseRef}`)) ?? pull.headSha;
  const side = (ref: string, sha: string) => ({
    label: `${state.owner}:${ref}`,
    ref,
    sha,
    user: simpleUser(state, state.owner),
    repo,
  });
  return {
    url: api,
    id: pull.id,
    node_id: nodeId('PullRequest', pull.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${state.repoApi}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${state.repoApi}/statuses/${pull.headSha}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: simpleUser(state, pull.author),
    body: pull.body,
    labels: pull.labels.map((name) => label(state, name)),
    milestone: null,
    active_lock_reason: null,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: pull.requestedReviewers.map((login) => simpleUser(state, login)),
    requested_teams: pull.requestedTeams.map((slug) => team(state, slug)),
    head: side(pull.headRef, pull.headSha),
    base: side(pull.baseRef, baseSha),
    _links: {
      self: { href: api },
      html: { href: html },
      issue: { href: issue },
      comments: { href: `${issue}/comments` },
      review_comments: { href: `${api}/comments` },
      review_comment: { href: `${state.repoApi}/pulls/comments{/number}` },
      commits: { href: `${api}/commits` },
      statuses: { href: `${state.repoApi}/statuses/${pull.headSha}` },
    },
    author_association: authorAssociation(state, pull.author),
    auto_merge: null,
    draft: pull.draft,
  };
}

/** `pull-request-simple` (pulls/list, pulls/request-reviewers). */
export function pullRequestSimple(state: StandinState, pull: PullRecord): Promise<Record<string, unknown>> {
  return pullCommon(state, pull);
}

/** `pull-request` (pulls/get, create, update), with counts from the real diff. */
export async function pullRequest(state: StandinState, pull: PullRecord): Promise<Record<string, unknown>> {
  const common = await pullCommon(state, pull);
  const base = (common.base as { sha: string }).sha;
  const changes = pull.mergedAt ? [] : await state.git.changes(base, pull.headSha);
  const mergeable = pull.state === 'open' ? (await state.git.mergeTree(base, pull.headSha)) !== undefined : null;
  return {
    ...common,
    merged: pull.mergedAt !== null,
    mergeable,
    rebaseable: mergeable,
    mergeable_state: mergeable === null ? 'unknown' : mergeable ? 'clean' : 'dirty',
    merged_by: pull.mergedBy ? simpleUser(state, pull.mergedBy) : null,
    comments: state.comments.filter((c) => c.issueNumber === pull.number).length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: pull.mergedAt ? 1 : await state.git.countCommits(base, pull.headSha),
    additions: changes.reduce((sum, c) => sum + c.additions, 0),
    deletions: changes.reduce((sum, c) => sum + c.deletions, 0),
    changed_files: changes.length,
  };
}

/** The `team` schema for a team the test created. */
export function team(state: StandinState, slug: string): Record<string, unknown> {
  const record = state.teams.get(slug);
  const id = record?.id ?? 0;
  const url = `${state.apiUrl}/organizations/${state.repoId}/team/${id}`;
  return {
    id,
    node_id: nodeId('Team', id),
    url,
    html_url: `${state.apiUrl}/_web/orgs/${state.owner}/teams/${slug}`,
    name: slug,
    slug,
    description: null,
    privacy: 'closed',
    notification_setting: 'notifications_enabled',
    permission: 'pull',
    members_url: `${url}/members{/member}`,
    repositories_url: `${url}/repos`,
    type: 'organization',
    parent: null,
  };
}

/** How GitHub relates a user to the repository in `author_association`. */
export function authorAssociation(state: StandinState, login: string): string {
  const role = state.users.get(login)?.role ?? 'none';
  if (login === state.owner) return 'OWNER';
  return role === 'none' ? 'NONE' : 'COLLABORATOR';
}
