// The control plane: what schemagate knows about agents, proposals and their
// history. Tables only; queries live with the services in src/.
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { Status } from '../src/domain/lifecycle.ts';

export const schemagate = pgSchema('schemagate');

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const agents = schemagate.table(
  'agents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    // 'agent' (may propose and read) or 'reviewer' (may review and read).
    kind: text('kind').notNull().default('agent'),
    // sha256 of the token; the token itself is shown once and never stored.
    tokenHash: text('token_hash').notNull().unique(),
    tokenPrefix: text('token_prefix').notNull(),
    scopes: text('scopes').array().notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('agents_active_name_key')
      .on(t.name)
      .where(sql`${t.revokedAt} is null`),
  ],
);

export const proposals = schemagate.table(
  'proposals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Insertion order, used as the pagination cursor.
    seq: bigserial('seq', { mode: 'number' }).notNull().unique(),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id),
    title: text('title').notNull(),
    description: text('description'),
    name: text('name').notNull(),
    status: text('status').$type<Status>().notNull(),
    currentRevision: integer('current_revision').notNull(),
    riskClass: text('risk_class'),
    // Where the change is under review: the migration file, and the commit
    // (GitHub) or content hash (local) that reviews must approve.
    migrationPath: text('migration_path'),
    pinnedSha: text('pinned_sha'),
    reviewUrl: text('review_url'),
    pullNumber: integer('pull_number'),
    idempotencyKey: text('idempotency_key'),
    // sha256 of the request that created the proposal, to tell a replay from a reuse.
    requestHash: text('request_hash'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('proposals_agent_idempotency_key').on(t.agentId, t.idempotencyKey),
    index('proposals_status_seq').on(t.status, t.seq),
  ],
);

export const proposalRevisions = schemagate.table(
  'proposal_revisions',
  {
    proposalId: uuid('proposal_id')
      .notNull()
      .references(() => proposals.id),
    number: integer('number').notNull(),
    sql: text('sql').notNull(),
    downSql: text('down_sql'),
    sha256: text('sha256').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.proposalId, t.number] }), check('revision_number_positive', sql`${t.number} > 0`)],
);

/** A preview run's life: queued, claimed by a worker, then one outcome. */
export type PreviewRunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'superseded';
/** A promotion run's life: queued, claimed by a worker, then one outcome (or cancelled before it ran). */
export type PromotionStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/**
 * The columns of a claimable run (src/queue/claims.ts): who holds it, until when, the attempt that
 * fences its writes, and when it was queued and finished.
 */
function claimColumns() {
  return {
    claimedBy: text('claimed_by'),
    claimExpiresAt: timestamp('claim_expires_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  };
}

export const previewRuns = schemagate.table(
  'preview_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    proposalId: uuid('proposal_id')
      .notNull()
      .references(() => proposals.id),
    revision: integer('revision').notNull(),
    status: text('status').$type<PreviewRunStatus>().notNull(),
    productionHead: text('production_head'),
    result: jsonb('result'),
    ...claimColumns(),
  },
  (t) => [index('preview_runs_proposal').on(t.proposalId, t.revision)],
);

export const reviews = schemagate.table(
  'reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    proposalId: uuid('proposal_id')
      .notNull()
      .references(() => proposals.id),
    revision: integer('revision').notNull(),
    reviewer: text('reviewer').notNull(),
    state: text('state').notNull(),
    commitSha: text('commit_sha'),
    // The reviewer's permission on the repository when the review was recorded.
    permission: text('permission').notNull(),
    source: text('source').notNull(),
    body: text('body'),
    // GitHub's review id: GitHub's list of reviews is mirrored here, one row per review.
    externalId: bigint('external_id', { mode: 'number' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('reviews_proposal').on(t.proposalId, t.revision),
    uniqueIndex('reviews_proposal_external_id_key').on(t.proposalId, t.externalId),
  ],
);

export const promotions = schemagate.table(
  'promotions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    proposalId: uuid('proposal_id')
      .notNull()
      .references(() => proposals.id),
    revision: integer('revision').notNull(),
    sha256: text('sha256').notNull(),
    status: text('status').$type<PromotionStatus>().notNull(),
    result: jsonb('result'),
    ...claimColumns(),
  },
  (t) => [index('promotions_proposal').on(t.proposalId)],
);

// Append-only: a trigger in the migrations refuses UPDATE, DELETE and TRUNCATE.
export const auditEvents = schemagate.table(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    proposalId: uuid('proposal_id').references(() => proposals.id),
    type: text('type').notNull(),
    fromStatus: text('from_status').$type<Status>(),
    toStatus: text('to_status').$type<Status>(),
    actor: text('actor').notNull(),
    data: jsonb('data').notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('audit_events_proposal').on(t.proposalId, t.id)],
);

// Recorded in the transaction that processes the delivery: a row means it was
// processed. A delivery is a duplicate when its id or its exact bytes were seen:
// a signed body re-sent under a new X-GitHub-Delivery id is not processed again.
export const webhookDeliveries = schemagate.table(
  'webhook_deliveries',
  {
    deliveryId: text('delivery_id').primaryKey(),
    event: text('event').notNull(),
    // sha256 of the raw body; null only on deliveries recorded before it was kept.
    bodySha256: text('body_sha256'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('webhook_deliveries_body_sha256_key').on(t.bodySha256)],
);

// Fixed-window request counters for the per-token rate limit, shared by every
// function instance.
export const rateLimits = schemagate.table(
  'rate_limits',
  {
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id),
    windowStart: bigint('window_start', { mode: 'number' }).notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.windowStart] })],
);
