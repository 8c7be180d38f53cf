import { createHmac, randomUUID } from 'node:crypto';
import { review } from './represent-objects.ts';
import { pullRequest } from './represent-pull.ts';
import { repository, simpleUser } from './represent-repository.ts';
import type { PullRecord, ReviewRecord, StandinState } from './standin-state.ts';

export type PullRequestAction = 'opened' | 'synchronize' | 'closed' | 'reopened' | 'edited';
export type ReviewAction = 'submitted' | 'dismissed' | 'edited';

/** A delivery as GitHub sends it: the exact bytes and the headers that sign them. */
export interface WebhookDelivery {
  event: string;
  id: string;
  body: string;
  headers: Record<string, string>;
}

/** `X-Hub-Signature-256`: HMAC-SHA256 of the raw body, hex, prefixed. */
export function signWebhookBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function delivery(event: string, payload: unknown, secret: string): WebhookDelivery {
  const id = randomUUID();
  const body = JSON.stringify(payload);
  return {
    event,
    id,
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/standin',
      'x-github-event': event,
      'x-github-delivery': id,
      'x-github-hook-id': '1',
      'x-hub-signature-256': signWebhookBody(secret, body),
    },
  };
}

function envelope(state: StandinState, sender: string, installationId: number | undefined): Record<string, unknown> {
  return {
    repository: repository(state),
    organization: { login: state.owner, id: state.user(state.owner).id },
    sender: simpleUser(state, sender),
    ...(installationId === undefined
      ? {}
      : {
          installation: {
            id: installationId,
            node_id: Buffer.from(`Installation:${installationId}`).toString('base64'),
          },
        }),
  };
}

export async function pullRequestPayload(
  state: StandinState,
  pull: PullRecord,
  action: PullRequestAction,
  sender: string,
  extra: { before?: string; installationId?: number } = {},
): Promise<Record<string, unknown>> {
  return {
    action,
    number: pull.number,
    ...(action === 'synchronize' ? { before: extra.before, after: pull.headSha } : {}),
    pull_request: await pullRequest(state, pull),
    ...envelope(state, sender, extra.installationId),
  };
}

export async function reviewPayload(
  state: StandinState,
  record: ReviewRecord,
  action: ReviewAction,
  sender: string,
  installationId?: number,
): Promise<Record<string, unknown>> {
  const pull = state.pull(record.pullNumber);
  if (!pull) throw new Error(`review ${record.id} points at unknown pull request ${record.pullNumber}`);
  // Webhooks spell review states in lower case; the REST API in upper case.
  const body = { ...review(state, record), state: record.state.toLowerCase() };
  return {
    action,
    review: body,
    pull_request: await pullRequest(state, pull),
    ...envelope(state, sender, installationId),
  };
}
