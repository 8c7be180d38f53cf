import type { TreeEntry } from './git-store.ts';
import { nodeId, representUser, simpleUser } from './represent-repository.ts';
import { authorAssociation } from './represent-pull.ts';
import type {
  AppRecord,
  CheckRunRecord,
  CommentRecord,
  ReviewRecord,
  StandinState,
  StatusRecord,
  UserRecord,
} from './standin-state.ts';

export function label(state: StandinState, name: string): Record<string, unknown> {
  const record = state.labels.get(name);
  const id = record?.id ?? 0;
  return {
    id,
    node_id: nodeId('Label', id),
    url: `${state.repoApi}/labels/${encodeURIComponent(name)}`,
    name,
    description: record?.description ?? '',
    color: record?.color ?? 'ededed',
    default: false,
  };
}

export function review(state: StandinState, record: ReviewRecord): Record<string, unknown> {
  const pullUrl = `${state.repoApi}/pulls/${record.pullNumber}`;
  const html = `${state.htmlBase}/pull/${record.pullNumber}#pullrequestreview-${record.id}`;
  return {
    id: record.id,
    node_id: nodeId('PullRequestReview', record.id),
    user: simpleUser(state, record.login),
    body: record.body,
    state: record.state,
    html_url: html,
    pull_request_url: pullUrl,
    _links: { html: { href: html }, pull_request: { href: pullUrl } },
    submitted_at: record.submittedAt,
    commit_id: record.commitId,
    author_association: authorAssociation(state, record.login),
  };
}

export function issueComment(state: StandinState, record: CommentRecord): Record<string, unknown> {
  const url = `${state.repoApi}/issues/comments/${record.id}`;
  return {
    id: record.id,
    node_id: nodeId('IssueComment', record.id),
    url,
    html_url: `${state.htmlBase}/pull/${record.issueNumber}#issuecomment-${record.id}`,
    issue_url: `${state.repoApi}/issues/${record.issueNumber}`,
    body: record.body,
    user: simpleUser(state, record.login),
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    author_association: authorAssociation(state, record.login),
    reactions: {
      url: `${url}/reactions`,
      total_count: 0,
      '+1': 0,
      '-1': 0,
      laugh: 0,
      confused: 0,
      heart: 0,
      hooray: 0,
      eyes: 0,
      rocket: 0,
    },
  };
}

export function commitStatus(state: StandinState, record: StatusRecord): Record<string, unknown> {
  const creator = simpleUser(state, record.creator);
  return {
    url: `${state.repoApi}/statuses/${record.sha}`,
    avatar_url: creator.avatar_url,
    id: record.id,
    node_id: nodeId('StatusContext', record.id),
    state: record.state,
    description: record.description,
    target_url: record.targetUrl,
    context: record.context,
    created_at: record.createdAt,
    updated_at: record.createdAt,
    creator,
  };
}

export function checkRun(state: StandinState, record: CheckRunRecord, app: AppRecord): Record<string, unknown> {
  const url = `${state.repoApi}/check-runs/${record.id}`;
  return {
    id: record.id,
    node_id: nodeId('CheckRun', record.id),
    head_sha: record.headSha,
    external_id: record.externalId,
    url,
    html_url: `${state.htmlBase}/runs/${record.id}`,
    details_url: record.detailsUrl,
    status: record.status,
    conclusion: record.conclusion,
    started_at: record.startedAt,
    completed_at: record.completedAt,
    output: {
      title: record.title,
      summary: record.summary,
      text: record.text,
      annotations_count: 0,
      annotations_url: `${url}/annotations`,
    },
    name: record.name,
    check_suite: { id: record.id + 500_000 },
    app: integration(state, app),
    pull_requests: [],
  };
}

export function integration(state: StandinState, app: AppRecord): Record<string, unknown> {
  return {
    id: app.appId,
    slug: app.slug,
    node_id: nodeId('Integration', app.appId),
    owner: simpleUser(state, state.owner),
    name: app.slug,
    description: null,
    external_url: `${state.apiUrl}/_web/apps/${app.slug}`,
    html_url: `${state.apiUrl}/_web/apps/${app.slug}`,
    created_at: state.createdAt,
    updated_at: state.createdAt,
    permissions: { checks: 'write', contents: 'write', metadata: 'read', pull_requests: 'write', statuses: 'write' },
    events: ['pull_request', 'pull_request_review'],
  };
}

export function gitRef(state: StandinState, ref: string, sha: string): Record<string, unknown> {
  return {
    ref,
    node_id: nodeId('Ref', ref),
    url: `${state.repoApi}/git/${ref}`,
    object: { type: 'commit', sha, url: `${state.repoApi}/git/commits/${sha}` },
  };
}

/** One entry as repos/get-content lists it; `content` only for a single file. */
export function contentEntry(
  state: StandinState,
  entry: TreeEntry,
  ref: string,
  content?: Buffer,
): Record<string, unknown> {
  const type = entry.type === 'tree' ? 'dir' : entry.type === 'commit' ? 'submodule' : 'file';
  const self = `${state.repoApi}/contents/${entry.path}?ref=${encodeURIComponent(ref)}`;
  const git = `${state.repoApi}/git/${entry.type === 'tree' ? 'trees' : 'blobs'}/${entry.sha}`;
  const html = `${state.htmlBase}/${type === 'dir' ? 'tree' : 'blob'}/${encodeURIComponent(ref)}/${entry.path}`;
  const out: Record<string, unknown> = {
    type,
    name: entry.name,
    path: entry.path,
    sha: entry.sha,
    size: entry.size,
    url: self,
    html_url: html,
    git_url: git,
    download_url: type === 'file' ? `${state.apiUrl}/_raw/${state.fullName}/${entry.sha}/${entry.path}` : null,
    _links: { self, git, html },
  };
  if (content) {
    // GitHub wraps the base64 body at 60 characters per line.
    out.content = `${content.toString('base64').replace(/.{60}/g, '$&\n')}\n`;
    out.encoding = 'base64';
  }
  return out;
}

export function collaboratorPermission(state: StandinState, user: UserRecord): Record<string, unknown> {
  const rank = ['none', 'read', 'triage', 'write', 'maintain', 'admin'].indexOf(user.role);
  // The legacy `permission` field folds maintain into write and triage into read.
  const permission = rank >= 5 ? 'admin' : rank >= 3 ? 'write' : rank >= 1 ? 'read' : 'none';
  return {
    permission,
    role_name: user.role,
    user: {
      ...representUser(state, user),
      permissions: { pull: rank >= 1, triage: rank >= 2, push: rank >= 3, maintain: rank >= 4, admin: rank >= 5 },
      role_name: user.role,
    },
  };
}
