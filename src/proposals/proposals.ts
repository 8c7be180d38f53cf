import { and, eq } from 'drizzle-orm';
import { proposalRevisions, proposals } from '../../db/schema.ts';
import { recordEvent } from '../database/audit-events.ts';
import type { Db, Tx } from '../database/connection.ts';
import { initialStatus } from '../domain/lifecycle.ts';
import { AppError } from '../errors.ts';
import { sha256 } from '../hash.ts';
import type { Agent } from '../agents/agents.ts';
import { enqueuePreview } from '../queue/preview-runs.ts';
import { getProposal, type Proposal } from './proposal-queries.ts';
import { transitionProposal } from './transition.ts';

export interface ProposalInput {
  title: string;
  description?: string | undefined;
  sql: string;
  downSql?: string | undefined;
  name?: string | undefined;
}

export interface RevisionInput {
  sql: string;
  downSql?: string | undefined;
}

const actorOf = (agent: Agent) => `agent:${agent.name}`;

/**
 * Stores a new proposal (status `received`) with its first revision. With an
 * idempotency key, a replay of the same request returns the stored proposal
 * and a different request under the same key is refused.
 *
 * @example
 * const { proposal, replayed } = await createProposal(db, agent, { title: 'Add orders', sql }, { idempotencyKey: 'k1' });
 */
export async function createProposal(
  db: Db,
  agent: Agent,
  input: ProposalInput,
  options: { idempotencyKey?: string | undefined } = {},
): Promise<{ proposal: Proposal; replayed: boolean }> {
  const requestHash = sha256(JSON.stringify([input.title, input.description, input.sql, input.downSql, input.name]));
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(proposals)
      .values({
        agentId: agent.id,
        title: input.title,
        description: input.description ?? null,
        name: input.name ?? slugify(input.title),
        status: initialStatus,
        currentRevision: 1,
        idempotencyKey: options.idempotencyKey ?? null,
        requestHash,
      })
      // A concurrent request with the same key waits here for the first to
      // commit, then inserts nothing.
      .onConflictDoNothing({ target: [proposals.agentId, proposals.idempotencyKey] })
      .returning({ id: proposals.id });
    if (!row) return undefined;
    await tx.insert(proposalRevisions).values(revisionRow(row.id, 1, input));
    await enqueuePreview(tx, row.id, 1);
    await recordEvent(tx, {
      proposalId: row.id,
      type: 'proposal.submit',
      toStatus: initialStatus,
      actor: actorOf(agent),
      data: { revision: 1, sha256: sha256(input.sql) },
    });
    return row.id;
  });
  if (id) return { proposal: await getProposal(db, id), replayed: false };

  const [existing] = await db
    .select({ id: proposals.id, requestHash: proposals.requestHash })
    .from(proposals)
    .where(and(eq(proposals.agentId, agent.id), eq(proposals.idempotencyKey, options.idempotencyKey ?? '')));
  if (!existing) throw new Error('idempotent insert found neither a new nor an existing proposal');
  if (existing.requestHash !== requestHash) {
    throw new AppError(
      'idempotency_key_reused',
      `Idempotency-Key "${options.idempotencyKey}" was already used for a different request (proposal ${existing.id}); use a new key for a new proposal`,
      { proposal_id: existing.id },
    );
  }
  return { proposal: await getProposal(db, existing.id), replayed: true };
}

/**
 * Adds a revision (new SQL) to a proposal. It goes back to `received` for a
 * new preview, and every earlier approval is void because approvals are tied
 * to a revision.
 */
export async function reviseProposal(db: Db, agent: Agent, id: string, input: RevisionInput): Promise<Proposal> {
  await db.transaction(async (tx) => {
    const owner = await lockOwned(tx, agent, id);
    await addRevision(tx, id, owner.currentRevision + 1, input, actorOf(agent));
  });
  return getProposal(db, id);
}

/**
 * A revision that arrived through the review (someone pushed a new version
 * of the migration file to the pull request): previewed like an agent's.
 * Runs in the caller's transaction, the one that records the webhook delivery.
 */
export async function reviseFromReview(tx: Tx, id: string, input: RevisionInput, actor: string): Promise<number> {
  const [row] = await tx
    .select({ currentRevision: proposals.currentRevision })
    .from(proposals)
    .where(eq(proposals.id, id))
    .for('update');
  if (!row) throw new AppError('not_found', `no proposal with id ${id}`);
  await addRevision(tx, id, row.currentRevision + 1, input, actor);
  return row.currentRevision + 1;
}

async function addRevision(tx: Tx, id: string, number: number, input: RevisionInput, actor: string): Promise<void> {
  await tx.insert(proposalRevisions).values(revisionRow(id, number, input));
  await tx.update(proposals).set({ currentRevision: number }).where(eq(proposals.id, id));
  await enqueuePreview(tx, id, number);
  await transitionProposal(tx, {
    proposalId: id,
    event: 'revise',
    actor,
    data: { revision: number, sha256: sha256(input.sql) },
  });
}

/** The agent takes its proposal back; allowed in any open status. */
export async function withdrawProposal(db: Db, agent: Agent, id: string, reason?: string): Promise<Proposal> {
  await db.transaction(async (tx) => {
    await lockOwned(tx, agent, id);
    await transitionProposal(tx, {
      proposalId: id,
      event: 'withdraw',
      actor: actorOf(agent),
      data: reason ? { reason } : {},
    });
  });
  return getProposal(db, id);
}

async function lockOwned(tx: Tx, agent: Agent, id: string) {
  const [row] = await tx
    .select({ agentId: proposals.agentId, currentRevision: proposals.currentRevision })
    .from(proposals)
    .where(eq(proposals.id, id))
    .for('update');
  if (!row) throw new AppError('not_found', `no proposal with id ${id}`);
  if (row.agentId !== agent.id) {
    throw new AppError('not_proposal_owner', `proposal ${id} belongs to another agent; only its author can change it`);
  }
  return row;
}

function revisionRow(proposalId: string, number: number, input: RevisionInput) {
  return { proposalId, number, sql: input.sql, downSql: input.downSql ?? null, sha256: sha256(input.sql) };
}

/** A migration-file slug from a title: Netlify Database accepts `[a-z0-9_-]+`. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60)
    .replace(/_+$/, '');
  return slug || 'migration';
}
