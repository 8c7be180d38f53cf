import type { StandinState, UserRecord } from './standin-state.ts';

/** GitHub's node ids are opaque base64 strings; tests only need them stable. */
export function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`${kind}:${id}`).toString('base64').replace(/=+$/, '');
}

/** `simple-user` for a login (created on first sight, like a GitHub account). */
export function simpleUser(state: StandinState, login: string): Record<string, unknown> {
  const user = state.user(login);
  return representUser(state, user);
}

export function representUser(state: StandinState, user: UserRecord): Record<string, unknown> {
  const api = `${state.apiUrl}/users/${user.login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type, user.id),
    avatar_url: `${state.apiUrl}/_avatars/${user.id}`,
    gravatar_id: '',
    url: api,
    html_url: `${state.apiUrl}/_web/${user.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** The `repository` schema (embedded in pull requests). */
export function repository(state: StandinState): Record<string, unknown> {
  const api = state.repoApi;
  return {
    id: state.repoId,
    node_id: nodeId('Repository', state.repoId),
    name: state.repo,
    full_name: state.fullName,
    owner: simpleUser(state, state.owner),
    private: true,
    html_url: state.htmlBase,
    description: 'Repository served by the GitHub stand-in',
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://127.0.0.1/${state.fullName}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@127.0.0.1:${state.fullName}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${state.htmlBase}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: state.htmlBase,
    homepage: null,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 1,
    default_branch: 'main',
    open_issues_count: openPulls(state),
    open_issues: openPulls(state),
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: false,
    archived: false,
    disabled: false,
    visibility: 'private',
    license: null,
    pushed_at: state.createdAt,
    created_at: state.createdAt,
    updated_at: state.createdAt,
    allow_merge_commit: true,
    allow_squash_merge: true,
    allow_rebase_merge: true,
  };
}

/** The `full-repository` schema (repos/get). */
export function fullRepository(state: StandinState): Record<string, unknown> {
  return {
    ...repository(state),
    has_discussions: false,
    network_count: 0,
    subscribers_count: 0,
    delete_branch_on_merge: false,
    allow_auto_merge: false,
  };
}

function openPulls(state: StandinState): number {
  let count = 0;
  for (const pull of state.pulls.values()) if (pull.state === 'open') count += 1;
  return count;
}
