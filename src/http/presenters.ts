import type { auditEvents } from '../../db/schema.ts';
import type { ApprovalDecision } from '../domain/approval.ts';
import type { Proposal, ProposalSummary } from '../proposals/proposal-queries.ts';
import type { ApprovalState } from '../review/reviews.ts';
import { changeDdl } from '../schema/ddl.ts';
import type { SchemaChange } from '../schema/diff.ts';
import { lineDiff } from '../schema/line-diff.ts';
import type { AnalysisResult } from '../sql/types.ts';
import type { eventListResponse, proposalListResponse, proposalResponse, staticAnalysis } from './schemas.ts';
import type { z } from 'zod';

const linkTo = (id: string) => `/api/proposals/${id}`;

export function presentProposal(p: Proposal): z.infer<typeof proposalResponse> {
  return {
    id: p.id,
    status: p.status,
    title: p.title,
    description: p.description,
    name: p.name,
    agent: p.agent,
    revision: {
      number: p.revision.number,
      sha256: p.revision.sha256,
      sql: p.revision.sql,
      down_sql: p.revision.downSql,
      diff_from_previous: p.previousSql == null ? null : lineDiff(p.previousSql, p.revision.sql),
      created_at: p.revision.createdAt.toISOString(),
    },
    revisions: p.revisions.map((r) => ({ number: r.number, sha256: r.sha256, created_at: r.createdAt.toISOString() })),
    risk_class: p.riskClass as 'low' | 'medium' | 'high' | 'forbidden' | null,
    review: p.review && { url: p.review.url, migration_path: p.review.migrationPath, pinned_sha: p.review.pinnedSha },
    preview: p.preview && {
      id: p.preview.id,
      status: p.preview.status,
      attempts: p.preview.attempts,
      result: p.preview.result ?? null,
      created_at: p.preview.createdAt.toISOString(),
      finished_at: p.preview.finishedAt?.toISOString() ?? null,
    },
    schema_changes: presentSchemaChanges(p.preview?.result),
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
    links: {
      self: linkTo(p.id),
      events: `${linkTo(p.id)}/events`,
      revisions: `${linkTo(p.id)}/revisions`,
      withdraw: `${linkTo(p.id)}/withdraw`,
    },
  };
}

export function presentSummary(p: ProposalSummary): z.infer<typeof proposalListResponse>['items'][number] {
  return {
    id: p.id,
    status: p.status,
    title: p.title,
    name: p.name,
    agent: p.agentName,
    revision: p.currentRevision,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
    links: { self: linkTo(p.id) },
  };
}

export function presentEvent(e: typeof auditEvents.$inferSelect): z.infer<typeof eventListResponse>['items'][number] {
  return {
    id: e.id,
    type: e.type,
    from_status: e.fromStatus,
    to_status: e.toStatus,
    actor: e.actor,
    data: e.data as Record<string, unknown>,
    created_at: e.createdAt.toISOString(),
  };
}

export function presentApproval(a: ApprovalState): NonNullable<z.infer<typeof proposalResponse>['approval']> {
  return {
    required: a.required,
    reviewers: a.reviewers,
    approved_by: a.approvedBy,
    changes_requested_by: a.changesRequestedBy,
    ignored: a.ignored,
    satisfied: a.satisfied,
    blocking: a.blocking,
  };
}

/** The decision a review just led to, as the 201 of a local review carries it. */
export function presentDecision(d: ApprovalDecision) {
  return {
    satisfied: d.satisfied,
    // Infinite for a change that can never be approved.
    required: Number.isFinite(d.required) ? d.required : null,
    approved_by: d.approvedBy,
    changes_requested_by: d.blockedBy,
    ignored: d.ignored,
  };
}

/** The rules' verdict on submitted SQL, as the 202 of a proposal or revision carries it. */
export function presentStaticAnalysis(a: AnalysisResult): z.infer<typeof staticAnalysis> {
  return {
    risk_class: a.riskClass,
    findings: a.findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      category: f.category,
      message: f.message,
      statement_index: f.statementIndex,
      line: f.span.line,
      column: f.span.column,
      end_line: f.span.endLine,
      end_column: f.span.endColumn,
      suggestion: f.suggestion,
      why: f.why ?? null,
      suppressed: f.suppressed?.reason ?? null,
    })),
  };
}

/** The preview's schema diff for readers: per object, what changed and the DDL before and after. */
function presentSchemaChanges(result: unknown): z.infer<typeof proposalResponse>['schema_changes'] {
  const changes = (result as { preview?: { diff?: { changes?: SchemaChange[] } } | null } | null | undefined)?.preview
    ?.diff?.changes;
  if (!changes) return null;
  return changes.map((change) => {
    const ddl = safeDdl(change);
    return {
      kind: change.kind,
      object_type: change.objectType,
      id: change.id,
      details: change.details ?? [],
      before_ddl: ddl.before,
      after_ddl: ddl.after,
    };
  });
}

// A diff stored by an older version may lack fields the DDL needs: it is then left out, the details remain.
function safeDdl(change: SchemaChange): { before: string | null; after: string | null } {
  try {
    return changeDdl(change);
  } catch {
    return { before: null, after: null };
  }
}
