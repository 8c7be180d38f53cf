import {
  GithubApiError,
  notFound,
  ok,
  param,
  unprocessable,
  type Handler,
  type HandlerContext,
} from '../handler-types.ts';
import { checkRun } from '../represent-objects.ts';
import { now, type AppRecord, type CheckRunRecord } from '../standin-state.ts';

interface CheckRunBody {
  name?: string;
  head_sha?: string;
  details_url?: string;
  external_id?: string;
  status?: CheckRunRecord['status'];
  conclusion?: string;
  started_at?: string;
  completed_at?: string;
  output?: { title?: string; summary?: string; text?: string };
}

/** Only GitHub Apps may write check runs; a personal token gets 403. */
function appOf(context: HandlerContext): AppRecord {
  const app = context.actor.appId === undefined ? undefined : context.state.apps.get(context.actor.appId);
  if (context.actor.kind !== 'installation' || !app)
    throw new GithubApiError(403, 'You must authenticate via a GitHub App.');
  return app;
}

function apply(record: CheckRunRecord, body: CheckRunBody): void {
  if (body.name !== undefined) record.name = body.name;
  if (body.details_url !== undefined) record.detailsUrl = body.details_url;
  if (body.external_id !== undefined) record.externalId = body.external_id;
  if (body.status !== undefined) record.status = body.status;
  if (body.started_at !== undefined) record.startedAt = body.started_at;
  if (body.output) {
    record.title = body.output.title ?? record.title;
    record.summary = body.output.summary ?? record.summary;
    record.text = body.output.text ?? record.text;
  }
  if (body.conclusion !== undefined) {
    // Setting a conclusion completes the run, as on GitHub.
    record.conclusion = body.conclusion;
    record.status = 'completed';
  }
  if (record.status === 'completed') record.completedAt = body.completed_at ?? record.completedAt ?? now();
}

const createCheckRun: Handler = async (context) => {
  const app = appOf(context);
  const body = context.body as CheckRunBody & { name: string; head_sha: string };
  if (!(await context.state.git.resolve(body.head_sha)))
    throw unprocessable('No commit found for SHA: ' + body.head_sha);
  const record: CheckRunRecord = {
    id: context.state.nextId(),
    headSha: body.head_sha,
    name: body.name,
    status: 'queued',
    conclusion: null,
    detailsUrl: null,
    externalId: null,
    title: null,
    summary: null,
    text: null,
    startedAt: now(),
    completedAt: null,
  };
  apply(record, body);
  context.state.checkRuns.set(record.id, record);
  return ok(checkRun(context.state, record, app), 201);
};

const updateCheckRun: Handler = async (context) => {
  const app = appOf(context);
  const record = context.state.checkRuns.get(Number(param(context, 'check_run_id')));
  if (!record) throw notFound();
  apply(record, context.body as CheckRunBody);
  return ok(checkRun(context.state, record, app));
};

const listForRef: Handler = async (context) => {
  const sha = await context.state.git.resolve(param(context, 'ref'));
  if (!sha) throw unprocessable(`No commit found for SHA: ${param(context, 'ref')}`);
  const name = context.query.check_name as string | undefined;
  const runs = [...context.state.checkRuns.values()]
    .filter((r) => r.headSha === sha && (!name || r.name === name))
    .sort((a, b) => b.id - a.id);
  const firstApp = [...context.state.apps.values()][0];
  if (!firstApp) return ok({ total_count: 0, check_runs: [] });
  return ok({ total_count: runs.length, check_runs: runs.map((r) => checkRun(context.state, r, firstApp)) });
};

export const checksHandlers: Record<string, Handler> = {
  'checks/create': createCheckRun,
  'checks/update': updateCheckRun,
  'checks/list-for-ref': listForRef,
};
