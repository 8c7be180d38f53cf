import { notFound, ok, paged, type Handler, type HandlerContext } from '../handler-types.ts';
import { issueComment, label } from '../represent-objects.ts';
import { now, type PullRecord } from '../standin-state.ts';

/** Every pull request is an issue; the stand-in has no plain issues. */
function issueFrom(context: HandlerContext): PullRecord {
  const pull = context.state.pull(Number(context.params.issue_number));
  if (!pull) throw notFound();
  return pull;
}

/** add-labels accepts a bare array, {labels: [...]} with strings or {name} objects. */
function labelNames(body: unknown): string[] {
  const list = Array.isArray(body) ? body : ((body as { labels?: unknown[] })?.labels ?? []);
  return list.map((item) => (typeof item === 'string' ? item : String((item as { name: string }).name)));
}

const addLabels: Handler = async (context) => {
  const issue = issueFrom(context);
  const { state } = context;
  for (const name of labelNames(context.body)) {
    // GitHub creates a label the repository does not have yet.
    if (!state.labels.has(name)) state.labels.set(name, { id: state.nextId(), name, color: 'ededed', description: '' });
    if (!issue.labels.includes(name)) issue.labels.push(name);
  }
  issue.updatedAt = now();
  return ok(issue.labels.map((name) => label(state, name)));
};

const createComment: Handler = async (context) => {
  const issue = issueFrom(context);
  const at = now();
  const record = {
    id: context.state.nextId(),
    issueNumber: issue.number,
    login: context.actor.login,
    body: (context.body as { body: string }).body,
    createdAt: at,
    updatedAt: at,
  };
  context.state.comments.push(record);
  return ok(issueComment(context.state, record), 201);
};

const updateComment: Handler = async (context) => {
  const record = context.state.comments.find((c) => c.id === Number(context.params.comment_id));
  if (!record) throw notFound();
  record.body = (context.body as { body: string }).body;
  record.updatedAt = now();
  return ok(issueComment(context.state, record));
};

const listComments: Handler = async (context) => {
  const issue = issueFrom(context);
  const comments = context.state.comments.filter((c) => c.issueNumber === issue.number);
  return paged(
    context,
    comments.map((c) => issueComment(context.state, c)),
  );
};

export const issuesHandlers: Record<string, Handler> = {
  'issues/add-labels': addLabels,
  'issues/create-comment': createComment,
  'issues/update-comment': updateComment,
  'issues/list-comments': listComments,
};
