// Every shape the HTTP API accepts or returns. Requests are parsed with these;
// the OpenAPI document is generated from them.
import { z } from 'zod';
import { statuses } from '../domain/lifecycle.ts';
import { severities } from '../sql/types.ts';

const noNul = (value: string) => !value.includes('\u0000');
const nul = { message: 'must not contain NUL characters' };
// JSON may spell a lone UTF-16 surrogate ("\ud800"); Postgres stores neither it in text (it
// becomes U+FFFD, so the bytes differ from what was sent and hashed) nor in jsonb (an error).
// Refused here, once, for every text the API stores.
const wellFormed = (value: string) => !/\p{Cs}/u.test(value);
const loneSurrogate = {
  message: 'must not contain a lone UTF-16 surrogate (such as "\\ud800"); send well-formed Unicode',
};
/** Text that Postgres stores byte for byte as sent. */
const storable = (schema: z.ZodString) => schema.refine(noNul, nul).refine(wellFormed, loneSurrogate);

const sqlText = z
  .string()
  .refine((s) => s.trim().length > 0, { message: 'must not be empty' })
  .refine(noNul, nul)
  .refine(wellFormed, loneSurrogate)
  .meta({ description: 'Postgres SQL of the migration; size capped by `limits.maxSqlBytes` (413 `sql_too_large`).' });

export const createProposalBody = z.strictObject({
  title: storable(z.string().trim().min(1).max(200)),
  description: storable(z.string().max(10_000)).optional(),
  sql: sqlText,
  down_sql: sqlText.optional().meta({ description: 'SQL that reverses `sql`, checked on the preview.' }),
  name: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[a-z0-9_-]+$/, 'use lower-case letters, digits, "_" and "-" (Netlify Database migration names)')
    .optional()
    .meta({ description: 'Slug of the migration file; derived from the title when absent.' }),
});

export const createRevisionBody = z.strictObject({ sql: sqlText, down_sql: sqlText.optional() });

export const withdrawBody = z.strictObject({ reason: storable(z.string().max(2000)).optional() });

export const reviewBody = z.strictObject({
  state: z.enum(['approve', 'request_changes', 'reject', 'comment']),
  comment: storable(z.string().max(10_000)).optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional()
    .meta({ description: 'the sha256 the reviewer read; refused with 409 when the proposal has moved on' }),
});

export const listQuery = z.strictObject({
  status: z.enum(statuses).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(100).optional(),
  q: z.string().trim().min(1).max(200).refine(noNul, nul).optional().meta({
    description: 'text the title, migration name or agent name contains (case-insensitive), or a proposal id',
  }),
  mine: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: '`true`: only the proposals of the agent whose token asks' }),
});

// Not strict: GET /api/proposals/:id ignored its query before the long poll existed, and still ignores other keys.
export const getProposalQuery = z.object({
  wait_for: z.enum(statuses).optional().meta({
    description:
      'answer once the proposal is in this status, has ended in another, has moved on from the status it had, or `timeout` passed (header `Schemagate-Wait: reached|ended|changed|timeout`)',
  }),
  // Under Netlify's 60 s limit for a synchronous function.
  timeout: z.coerce.number().min(0).max(55).default(30).meta({ description: 'seconds to wait at most (0-55)' }),
});

export const proposalId = z.uuid();

const timestamp = z.iso.datetime();

const revisionSummary = z.object({ number: z.int(), sha256: z.string(), created_at: timestamp });

const staticFinding = z.object({
  code: z.string().meta({ description: 'stable rule code, see docs/rules.md' }),
  severity: z.enum(severities),
  category: z.enum(['lock', 'destructive', 'guardrail', 'hygiene']),
  message: z.string(),
  statement_index: z.int().nullable(),
  line: z.int(),
  column: z.int(),
  end_line: z.int(),
  end_column: z.int(),
  suggestion: z.string().meta({ description: 'a safer way to write it' }),
  why: z.string().nullable(),
  suppressed: z.string().nullable().meta({ description: 'the reason given in `-- schemagate:allow`, when suppressed' }),
});

export const staticAnalysis = z.object({
  risk_class: z
    .enum(['low', 'medium', 'high', 'forbidden'])
    .meta({ description: 'from the rules alone; the preview may raise or lower it' }),
  findings: z.array(staticFinding),
});

export const proposalResponse = z.object({
  id: z.uuid(),
  status: z.enum(statuses),
  title: z.string(),
  description: z.string().nullable(),
  name: z.string(),
  agent: z.object({ id: z.uuid(), name: z.string() }),
  revision: revisionSummary.extend({
    sql: z.string(),
    down_sql: z.string().nullable(),
    diff_from_previous: z.array(z.string()).nullable().meta({
      description:
        "what this revision changed in the previous one's SQL, line by line (' ' kept, '-' removed, '+' added); null for the first",
    }),
  }),
  revisions: z.array(revisionSummary),
  risk_class: z
    .enum(['low', 'medium', 'high', 'forbidden'])
    .nullable()
    .meta({ description: 'set by the preview; decides how many approvals are needed' }),
  review: z
    .object({ url: z.string().nullable(), migration_path: z.string(), pinned_sha: z.string().nullable() })
    .nullable()
    .meta({
      description: 'the pull request (or local file) under review, and the commit or sha256 approvals must name',
    }),
  preview: z
    .object({
      id: z.uuid(),
      status: z.enum(['queued', 'running', 'succeeded', 'failed', 'superseded']),
      attempts: z.int(),
      result: z
        .unknown()
        .meta({ description: 'what the preview did: findings, measurements, schema diff, replay and reversibility' }),
      created_at: timestamp,
      finished_at: timestamp.nullable(),
    })
    .nullable()
    .meta({ description: 'the latest preview of the current revision' }),
  schema_changes: z
    .array(
      z.object({
        kind: z.enum(['added', 'removed', 'changed']),
        object_type: z.string(),
        id: z.string(),
        details: z.array(z.string()),
        before_ddl: z.string().nullable(),
        after_ddl: z.string().nullable(),
      }),
    )
    .nullable()
    .meta({
      description:
        "the preview's schema diff, one entry per object, with the DDL of the object before and after; null until a preview has diffed",
    }),
  created_at: timestamp,
  updated_at: timestamp,
  links: z.object({ self: z.string(), events: z.string(), revisions: z.string(), withdraw: z.string() }),
  approval: z
    .object({
      required: z
        .int()
        .nullable()
        .meta({ description: 'approvals the risk class needs; null when it can never be approved' }),
      reviewers: z
        .array(z.string())
        .nullable()
        .meta({ description: 'when the policy names reviewers, only they count' }),
      approved_by: z.array(z.string()),
      changes_requested_by: z.array(z.string()),
      ignored: z.array(z.object({ reviewer: z.string(), reason: z.string() })),
      satisfied: z.boolean(),
      blocking: z.array(z.string()).meta({ description: 'what stands between the proposal and an approval, in words' }),
    })
    .optional()
    .meta({ description: 'the approval policy applied to the reviews of the revision under review (GET only)' }),
  static_analysis: staticAnalysis.optional().meta({
    description:
      'the rules run on the submitted SQL before anything else (POST of a proposal or a revision only); the preview refines them',
  }),
});

export const proposalListResponse = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      status: z.enum(statuses),
      title: z.string(),
      name: z.string(),
      agent: z.string(),
      revision: z.int(),
      created_at: timestamp,
      updated_at: timestamp,
      links: z.object({ self: z.string() }),
    }),
  ),
  next_cursor: z.string().nullable(),
});

export const eventListResponse = z.object({
  items: z.array(
    z.object({
      id: z.int(),
      type: z.string(),
      from_status: z.string().nullable(),
      to_status: z.string().nullable(),
      actor: z.string(),
      data: z.record(z.string(), z.unknown()),
      created_at: timestamp,
    }),
  ),
});

export const healthResponse = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.enum(['ok', 'unreachable']),
  version: z.string(),
});

export const errorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
