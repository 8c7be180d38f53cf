import { sql } from 'drizzle-orm';
import { webhookDeliveries } from '../../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { sha256 } from '../../hash.ts';
import { handleGithubEvent, parseGithubEvent } from '../../review/github-events.ts';
import { verifyWebhook } from '../../review/github/verify-webhook.ts';
import type { HttpDeps } from '../deps.ts';
import { HttpError, json } from '../respond.ts';

// GitHub caps webhook payloads at 25 MB; schemagate's events are a few KB.
const maxWebhookBytes = 5 * 1024 * 1024;

/**
 * GitHub's webhook: the signature is checked over the raw bytes before
 * anything is parsed, each delivery (by id and by content) is processed at
 * most once, and the answer comes well inside GitHub's 10 s (the work is a
 * few queries, the pull request's reviews and its reviewers' permissions;
 * previews and promotions run as jobs).
 */
export async function githubWebhookRoute(request: Request, deps: HttpDeps): Promise<Response> {
  const github = deps.github;
  const secret = deps.config.github?.webhookSecret;
  if (!github || !secret)
    throw new AppError('route_not_found', 'GitHub review is not configured (SCHEMAGATE_REVIEW_PROVIDER=github)');
  const raw = new Uint8Array(await request.arrayBuffer());
  if (raw.byteLength > maxWebhookBytes)
    throw new HttpError('payload_too_large', `webhook payload over ${maxWebhookBytes} bytes`);
  if (!(await verifyWebhook(secret, raw, request.headers.get('x-hub-signature-256')))) {
    throw new HttpError(
      'invalid_signature',
      'missing or invalid X-Hub-Signature-256: the payload was not signed with the configured webhook secret',
    );
  }
  const delivery = request.headers.get('x-github-delivery');
  const event = request.headers.get('x-github-event');
  if (!delivery || !event) throw new HttpError('missing_header', 'X-GitHub-Delivery and X-GitHub-Event are required');
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    throw new HttpError('invalid_json', 'the webhook payload is not JSON');
  }
  const parsed = parseGithubEvent(event, payload);
  if (!parsed) throw new HttpError('validation_failed', `the ${event} payload lacks fields schemagate needs`);

  // The delivery is recorded in the transaction that applies it: a failure
  // records nothing, so GitHub's redelivery is processed; a success records it
  // under its id and under the sha256 of its bytes, so neither a redelivery
  // nor the same signed body under a new id is processed twice.
  const bodySha256 = sha256(raw);
  const eventDeps = { github, policy: deps.config.policy.approvals, agentLogin: deps.config.github?.agentLogin };
  const outcome = await deps.db.transaction(async (tx) => {
    const [fresh] = await tx
      .insert(webhookDeliveries)
      .values({ deliveryId: delivery, event, bodySha256, processedAt: sql`now()` })
      .onConflictDoNothing()
      .returning({ deliveryId: webhookDeliveries.deliveryId });
    if (!fresh) return undefined;
    return handleGithubEvent({ ...eventDeps, tx }, parsed);
  });
  if (!outcome)
    return json(200, {
      status: 'duplicate',
      detail: 'this delivery id, or a delivery with the same body, was already processed',
      delivery,
    });
  // An approval queued a promotion, or a push queued a preview: only then is there work to start.
  if (outcome.queued) deps.kickJobs?.(new URL(request.url).origin);
  return json(202, { status: outcome.handled ? 'processed' : 'ignored', detail: outcome.detail, delivery });
}
