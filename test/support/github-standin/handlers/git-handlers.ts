import { GithubApiError, notFound, ok, param, unprocessable, type Handler } from '../handler-types.ts';
import { gitRef } from '../represent-objects.ts';

const getRef: Handler = async (context) => {
  const ref = `refs/${param(context, 'ref')}`;
  const sha = (await context.state.git.refs(ref)).get(ref);
  if (!sha) throw notFound();
  return ok(gitRef(context.state, ref, sha));
};

const createRef: Handler = async (context) => {
  const { ref, sha } = context.body as { ref: string; sha: string };
  const { git } = context.state;
  if (!/^refs\/.+\/.+/.test(ref))
    throw unprocessable('Reference name must start with refs/ and have at least two slashes.');
  return git.exclusive(async () => {
    if (!(await git.objectExists(sha))) throw unprocessable('Object does not exist');
    if ((await git.refs(ref)).has(ref)) throw unprocessable('Reference already exists');
    await git.setRef(ref, sha, undefined);
    return ok(gitRef(context.state, ref, sha), 201);
  });
};

const updateRef: Handler = async (context) => {
  const ref = `refs/${param(context, 'ref')}`;
  const { sha, force } = context.body as { sha: string; force?: boolean };
  const { git } = context.state;
  return git.exclusive(async () => {
    const current = (await git.refs(ref)).get(ref);
    if (!current) throw unprocessable('Reference does not exist');
    if (!(await git.objectExists(sha))) throw unprocessable('Object does not exist');
    if (!force && !(await git.isAncestor(current, sha))) throw unprocessable('Update is not a fast forward');
    await git.setRef(ref, sha, current);
    context.state.onBranchMoved(ref, sha);
    return ok(gitRef(context.state, ref, sha));
  });
};

const deleteRef: Handler = async (context) => {
  const ref = `refs/${param(context, 'ref')}`;
  const { git } = context.state;
  return git.exclusive(async () => {
    if (!(await git.refs(ref)).has(ref)) throw unprocessable('Reference does not exist');
    if (ref === 'refs/heads/main') throw new GithubApiError(422, 'Cannot delete the default branch');
    await git.deleteRef(ref);
    return { status: 204 };
  });
};

export const gitHandlers: Record<string, Handler> = {
  'git/get-ref': getRef,
  'git/create-ref': createRef,
  'git/update-ref': updateRef,
  'git/delete-ref': deleteRef,
};
