// Reading proposals: what the API and the CLI show.
import { and, asc, desc, eq, ilike, lt, or } from 'drizzle-orm';
import {
  agents,
  auditEvents,
  previewRuns,
  proposalRevisions,
  proposals,
  type PreviewRunStatus,
} from '../../db/schema.ts';
import type { DbOrTx } from '../database/connection.ts';
import type { Status } from '../domain/lifecycle.ts';
import { AppError } from '../errors.ts';

export interface Revision {
  number: number;
  sql: string;
  downSql: string | null;
  sha256: string;
  createdAt: Date;
}

export interface Proposal {
  id: string;
  seq: number;
  status: Status;
  title: string;
  description: string | null;
  name: string;
  agent: { id: string; name: string };
  revision: Revision;
  revisions: Array<Omit<Revision, 'sql' | 'downSql'>>;
  /** The SQL of the revision before the current one, for a reviewer to see what the agent changed. */
  previousSql?: string | null;
  /** The latest preview of the current revision, if one was queued. */
  preview: PreviewSummary | null;
  riskClass: string | null;
  /** Where the change is under review, once published. */
  review: { url: string | null; migrationPath: string; pinnedSha: string | null } | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PreviewSummary {
  id: string;
  status: PreviewRunStatus;
  attempts: number;
  result: unknown;
  createdAt: Date;
  finishedAt: Date | null;
}

export async function getProposal(db: DbOrTx, id: string): Promise<Proposal> {
  const [found] = await db
    .select({ proposal: proposals, agentName: agents.name })
    .from(proposals)
    .innerJoin(agents, eq(agents.id, proposals.agentId))
    .where(eq(proposals.id, id));
  if (!found) throw new AppError('not_found', `no proposal with id ${id}`);
  const row = found.proposal;
  const revisions = await db
    .select()
    .from(proposalRevisions)
    .where(eq(proposalRevisions.proposalId, id))
    .orderBy(asc(proposalRevisions.number));
  const current = revisions.find((r) => r.number === row.currentRevision);
  if (!current) throw new Error(`proposal ${id} has no revision ${row.currentRevision}`);
  const [preview] = await db
    .select()
    .from(previewRuns)
    .where(and(eq(previewRuns.proposalId, id), eq(previewRuns.revision, row.currentRevision)))
    .orderBy(desc(previewRuns.createdAt))
    .limit(1);
  return {
    id: row.id,
    seq: row.seq,
    status: row.status,
    title: row.title,
    description: row.description,
    name: row.name,
    agent: { id: row.agentId, name: found.agentName },
    revision: {
      number: current.number,
      sql: current.sql,
      downSql: current.downSql,
      sha256: current.sha256,
      createdAt: current.createdAt,
    },
    revisions: revisions.map((r) => ({ number: r.number, sha256: r.sha256, createdAt: r.createdAt })),
    previousSql: revisions.find((r) => r.number === current.number - 1)?.sql ?? null,
    riskClass: row.riskClass,
    review: row.migrationPath
      ? { url: row.reviewUrl, migrationPath: row.migrationPath, pinnedSha: row.pinnedSha }
      : null,
    preview: preview
      ? {
          id: preview.id,
          status: preview.status,
          attempts: preview.attempts,
          result: preview.result,
          createdAt: preview.createdAt,
          finishedAt: preview.finishedAt,
        }
      : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export interface ProposalSummary {
  id: string;
  seq: number;
  status: Status;
  title: string;
  name: string;
  agentName: string;
  currentRevision: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Newest first; `before` is the `seq` of the last item of the previous page. */
export async function listProposals(
  db: DbOrTx,
  options: {
    status?: Status | undefined;
    before?: number | undefined;
    limit: number;
    agentId?: string | undefined;
    search?: string | undefined;
  },
): Promise<{ items: ProposalSummary[]; hasMore: boolean }> {
  const rows = await db
    .select({
      id: proposals.id,
      seq: proposals.seq,
      status: proposals.status,
      title: proposals.title,
      name: proposals.name,
      agentName: agents.name,
      currentRevision: proposals.currentRevision,
      createdAt: proposals.createdAt,
      updatedAt: proposals.updatedAt,
    })
    .from(proposals)
    .innerJoin(agents, eq(agents.id, proposals.agentId))
    .where(
      and(
        options.status ? eq(proposals.status, options.status) : undefined,
        options.agentId ? eq(proposals.agentId, options.agentId) : undefined,
        options.search ? matches(options.search) : undefined,
        options.before !== undefined ? lt(proposals.seq, options.before) : undefined,
      ),
    )
    .orderBy(desc(proposals.seq))
    .limit(options.limit + 1);
  const items = rows.slice(0, options.limit);
  return { items, hasMore: rows.length > options.limit };
}

export async function listEvents(db: DbOrTx, id: string) {
  await assertExists(db, id);
  return db.select().from(auditEvents).where(eq(auditEvents.proposalId, id)).orderBy(asc(auditEvents.id));
}

async function assertExists(db: DbOrTx, id: string): Promise<void> {
  const [row] = await db.select({ id: proposals.id }).from(proposals).where(eq(proposals.id, id));
  if (!row) throw new AppError('not_found', `no proposal with id ${id}`);
}

/** Title, migration name or agent name contains the text (case-insensitive), or it is the proposal's id. */
function matches(text: string) {
  // The text is literal: LIKE's wildcards in it match themselves.
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return or(
    ilike(proposals.title, pattern),
    ilike(proposals.name, pattern),
    ilike(agents.name, pattern),
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)
      ? eq(proposals.id, text.toLowerCase())
      : undefined,
  );
}
