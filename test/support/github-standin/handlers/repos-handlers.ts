import { GithubApiError, notFound, ok, param, resolveRef, unprocessable, type Handler } from '../handler-types.ts';
import { collaboratorPermission, commitStatus, contentEntry } from '../represent-objects.ts';
import { fullRepository, nodeId } from '../represent-repository.ts';
import { now } from '../standin-state.ts';

const getRepository: Handler = async (context) => ok(fullRepository(context.state));

const getContent: Handler = async (context) => {
  const filePath = param(context, 'path').replace(/^\/+|\/+$/g, '');
  const ref = typeof context.query.ref === 'string' ? context.query.ref : 'main';
  const commit = await resolveRef(context, ref);
  if (!commit) throw new GithubApiError(404, `No commit found for the ref ${ref}`);
  const { git } = context.state;
  const entry = await git.entry(commit, filePath);
  if (!entry) throw notFound();
  if (entry.type === 'tree') {
    const entries = await git.listDirectory(commit, filePath);
    return ok(entries.map((e) => contentEntry(context.state, e, ref)));
  }
  return ok(contentEntry(context.state, entry, ref, await git.readBlob(entry.sha)));
};

const putFile: Handler = async (context) => {
  const filePath = param(context, 'path');
  const body = context.body as { message: string; content: string; sha?: string; branch?: string };
  const branch = body.branch ?? 'main';
  const { git } = context.state;
  const content = Buffer.from(body.content, 'base64');
  if (content.toString('base64').replace(/=+$/, '') !== body.content.replace(/\s/g, '').replace(/=+$/, '')) {
    throw unprocessable('content is not valid Base64');
  }
  return git.exclusive(async () => {
    const ref = `refs/heads/${branch}`;
    const parent = await git.resolve(ref);
    if (!parent) throw new GithubApiError(404, `Branch ${branch} not found`);
    const existing = await git.entry(parent, filePath);
    if (existing && !body.sha) throw unprocessable('Invalid request.\n\n"sha" wasn\'t supplied.');
    if (existing && body.sha !== existing.sha) throw new GithubApiError(409, `${filePath} does not match ${body.sha}`);
    const sha = await git.writeCommit(
      parent,
      { [filePath]: content },
      body.message,
      context.state.identity(context.actor.login),
    );
    await git.setRef(ref, sha, parent);
    context.state.onBranchMoved(ref, sha);
    const info = await git.commitInfo(sha);
    const entry = await git.entry(sha, filePath);
    if (!entry) throw new Error(`the commit just written lacks ${filePath}`);
    const who = { ...context.state.identity(context.actor.login), date: info.date };
    const fileInfo = contentEntry(context.state, entry, branch);
    return ok(
      {
        content: fileInfo,
        commit: {
          sha,
          node_id: nodeId('Commit', sha),
          url: `${context.state.repoApi}/git/commits/${sha}`,
          html_url: `${context.state.htmlBase}/commit/${sha}`,
          author: who,
          committer: who,
          message: info.message.trimEnd(),
          tree: { sha: info.tree, url: `${context.state.repoApi}/git/trees/${info.tree}` },
          parents: info.parents.map((p) => ({
            sha: p,
            url: `${context.state.repoApi}/git/commits/${p}`,
            html_url: `${context.state.htmlBase}/commit/${p}`,
          })),
          verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
        },
      },
      existing ? 200 : 201,
    );
  });
};

const createStatus: Handler = async (context) => {
  const sha = param(context, 'sha');
  const body = context.body as {
    state: 'error' | 'failure' | 'pending' | 'success';
    target_url?: string | null;
    description?: string | null;
    context?: string;
  };
  if (!(await context.state.git.resolve(sha))) throw unprocessable(`No commit found for SHA: ${sha}`);
  const record = {
    id: context.state.nextId(),
    sha,
    state: body.state,
    description: body.description ?? null,
    targetUrl: body.target_url ?? null,
    context: body.context ?? 'default',
    creator: context.actor.login,
    createdAt: now(),
  };
  context.state.statuses.push(record);
  return ok(commitStatus(context.state, record), 201);
};

const getPermission: Handler = async (context) => {
  const login = param(context, 'username');
  const user = context.state.users.get(login);
  // GitHub answers 404 for accounts that do not exist; known users without access get "none".
  if (!user) throw notFound();
  return ok(collaboratorPermission(context.state, user));
};

export const reposHandlers: Record<string, Handler> = {
  'repos/get': getRepository,
  'repos/get-content': getContent,
  'repos/create-or-update-file-contents': putFile,
  'repos/create-commit-status': createStatus,
  'repos/get-collaborator-permission-level': getPermission,
};
