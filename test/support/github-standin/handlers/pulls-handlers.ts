import {
  GithubApiError,
  notFound,
  ok,
  paged,
  unprocessable,
  type Handler,
  type HandlerContext,
} from '../handler-types.ts';
import { mergePull, requestReviewers } from '../pull-actions.ts';
import { review } from '../represent-objects.ts';
import { pullRequest, pullRequestSimple } from '../represent-pull.ts';
import { now, type PullRecord } from '../standin-state.ts';

function pullFrom(context: HandlerContext): PullRecord {
  const pull = context.state.pull(Number(context.params.pull_number));
  if (!pull) throw notFound();
  return pull;
}

const createPull: Handler = async (context) => {
  const body = context.body as { title?: string; head: string; base: string; body?: string; draft?: boolean };
  const { state } = context;
  const headRef = body.head.includes(':') ? (body.head.split(':')[1] ?? '') : body.head;
  const headSha = await state.git.resolve(`refs/heads/${headRef}`);
  const baseSha = await state.git.resolve(`refs/heads/${body.base}`);
  const invalid = (field: string) =>
    unprocessable('Validation Failed', [{ resource: 'PullRequest', field, code: 'invalid' }]);
  if (!headSha) throw invalid('head');
  if (!baseSha) throw invalid('base');
  for (const existing of state.pulls.values()) {
    if (existing.state === 'open' && existing.headRef === headRef && existing.baseRef === body.base) {
      throw unprocessable('Validation Failed', [
        {
          resource: 'PullRequest',
          code: 'custom',
          message: `A pull request already exists for ${state.owner}:${headRef}.`,
        },
      ]);
    }
  }
  if ((await state.git.countCommits(baseSha, headSha)) === 0) {
    throw unprocessable('Validation Failed', [
      { resource: 'PullRequest', code: 'custom', message: `No commits between ${body.base} and ${headRef}` },
    ]);
  }
  const at = now();
  const pull: PullRecord = {
    number: state.nextNumber(),
    id: state.nextId(),
    title: body.title ?? headRef,
    body: body.body ?? null,
    state: 'open',
    draft: body.draft ?? false,
    headRef,
    headSha,
    baseRef: body.base,
    author: context.actor.login,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    mergedAt: null,
    mergedBy: null,
    mergeCommitSha: null,
    labels: [],
    requestedReviewers: [],
    requestedTeams: [],
  };
  state.pulls.set(pull.number, pull);
  return ok(await pullRequest(state, pull), 201);
};

const getPull: Handler = async (context) => ok(await pullRequest(context.state, pullFrom(context)));

const updatePull: Handler = async (context) => {
  const pull = pullFrom(context);
  const body = context.body as { title?: string; body?: string; state?: 'open' | 'closed'; base?: string };
  if (body.title !== undefined) pull.title = body.title;
  if (body.body !== undefined) pull.body = body.body;
  if (body.base !== undefined) pull.baseRef = body.base;
  if (body.state === 'closed' && pull.state === 'open') Object.assign(pull, { state: 'closed', closedAt: now() });
  if (body.state === 'open' && pull.state === 'closed' && !pull.mergedAt)
    Object.assign(pull, { state: 'open', closedAt: null });
  pull.updatedAt = now();
  return ok(await pullRequest(context.state, pull));
};

const listPulls: Handler = async (context) => {
  const wanted = (context.query.state as string | undefined) ?? 'open';
  const head = context.query.head as string | undefined;
  const base = context.query.base as string | undefined;
  const pulls = [...context.state.pulls.values()]
    .filter((p) => wanted === 'all' || p.state === wanted)
    .filter((p) => !head || `${context.state.owner}:${p.headRef}` === head)
    .filter((p) => !base || p.baseRef === base)
    .sort((a, b) => b.number - a.number);
  return paged(context, await Promise.all(pulls.map((p) => pullRequestSimple(context.state, p))));
};

const listReviews: Handler = async (context) => {
  const pull = pullFrom(context);
  const reviews = context.state.reviews.filter((r) => r.pullNumber === pull.number);
  return paged(
    context,
    reviews.map((r) => review(context.state, r)),
  );
};

const listFiles: Handler = async (context) => {
  const pull = pullFrom(context);
  const { state } = context;
  const base = (await state.git.resolve(`refs/heads/${pull.baseRef}`)) ?? pull.headSha;
  const changes = await state.git.changes(base, pull.headSha);
  const files = await Promise.all(
    changes.map(async (change) => {
      const entry = change.status === 'removed' ? undefined : await state.git.entry(pull.headSha, change.path);
      const blobSha = entry?.sha ?? '0'.repeat(40);
      return {
        sha: blobSha,
        filename: change.path,
        status: change.status,
        additions: change.additions,
        deletions: change.deletions,
        changes: change.additions + change.deletions,
        blob_url: `${state.htmlBase}/blob/${pull.headSha}/${change.path}`,
        raw_url: `${state.htmlBase}/raw/${pull.headSha}/${change.path}`,
        contents_url: `${state.repoApi}/contents/${change.path}?ref=${pull.headSha}`,
        patch: await state.git.patch(base, pull.headSha, change.path),
      };
    }),
  );
  return paged(context, files);
};

const merge: Handler = async (context) => {
  const pull = pullFrom(context);
  const body = (context.body ?? {}) as {
    sha?: string;
    merge_method?: 'merge' | 'squash' | 'rebase';
    commit_title?: string;
  };
  const sha = await mergePull(context.state, pull, {
    login: context.actor.login,
    method: body.merge_method,
    sha: body.sha,
    title: body.commit_title,
  });
  return ok({ sha, merged: true, message: 'Pull Request successfully merged' });
};

const requestReviewersHandler: Handler = async (context) => {
  const pull = pullFrom(context);
  const body = context.body as { reviewers?: string[]; team_reviewers?: string[] };
  if (pull.state !== 'open') throw new GithubApiError(422, 'Pull request is closed');
  requestReviewers(context.state, pull, body.reviewers ?? [], body.team_reviewers ?? []);
  return ok(await pullRequestSimple(context.state, pull), 201);
};

export const pullsHandlers: Record<string, Handler> = {
  'pulls/create': createPull,
  'pulls/get': getPull,
  'pulls/update': updatePull,
  'pulls/list': listPulls,
  'pulls/list-reviews': listReviews,
  'pulls/list-files': listFiles,
  'pulls/merge': merge,
  'pulls/request-reviewers': requestReviewersHandler,
};
