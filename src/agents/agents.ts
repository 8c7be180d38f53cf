import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { agents } from '../../db/schema.ts';
import { recordEvent } from '../database/audit-events.ts';
import type { DbOrTx, Tx } from '../database/connection.ts';
import { AppError } from '../errors.ts';
import { generateToken, hashToken, tokenPrefix } from './tokens.ts';

/** What an agent token may do. Agent tokens can never reach production. */
export const agentScopes = ['propose', 'read'] as const;
/** Reviewer tokens, for local review without GitHub: they review, never propose. */
export const reviewerScopes = ['review', 'read'] as const;
export type Scope = (typeof agentScopes)[number] | (typeof reviewerScopes)[number];
export type PrincipalKind = 'agent' | 'reviewer';

export const agentNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/,
    'use 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

export interface Agent {
  id: string;
  name: string;
  kind: PrincipalKind;
  scopes: Scope[];
  tokenPrefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/**
 * Creates an agent and returns its token. The token is shown only here:
 * the database keeps its sha256. The agent and its audit event are written
 * in the caller's transaction.
 *
 * @example
 * const { agent, token } = await db.transaction((tx) => createAgent(tx, { name: 'claude', scopes: ['propose', 'read'] }));
 */
export async function createAgent(
  tx: Tx,
  input: { name: string; scopes: Scope[]; kind?: PrincipalKind },
): Promise<{ agent: Agent; token: string }> {
  const kind = input.kind ?? 'agent';
  const allowed: readonly Scope[] = kind === 'agent' ? agentScopes : reviewerScopes;
  const refused = input.scopes.filter((s) => !allowed.includes(s));
  if (refused.length > 0)
    throw new AppError(
      'validation_failed',
      `a ${kind} token cannot have the scope ${refused.join(', ')}; allowed: ${allowed.join(', ')}`,
    );
  const token = generateToken();
  const [row] = await tx
    .insert(agents)
    .values({
      name: input.name,
      kind,
      scopes: input.scopes,
      tokenHash: hashToken(token),
      tokenPrefix: tokenPrefix(token),
    })
    .onConflictDoNothing()
    .returning();
  if (!row)
    throw new AppError(
      'conflict',
      `an active agent or reviewer named "${input.name}" already exists; revoke it first or pick another name`,
    );
  await recordEvent(tx, {
    type: 'agent.created',
    actor: 'operator',
    data: { agent: row.name, kind: row.kind, scopes: row.scopes },
  });
  return { agent: toAgent(row), token };
}

export async function listAgents(db: DbOrTx, options: { includeRevoked?: boolean } = {}): Promise<Agent[]> {
  const rows = await db
    .select()
    .from(agents)
    .where(options.includeRevoked ? undefined : isNull(agents.revokedAt))
    .orderBy(asc(agents.createdAt));
  return rows.map(toAgent);
}

/**
 * Revokes the active agent with this name or id, in the caller's transaction
 * with its audit event; its token stops working once that commits.
 *
 * @example
 * const agent = await db.transaction((tx) => revokeAgent(tx, 'claude'));
 */
export async function revokeAgent(tx: Tx, nameOrId: string): Promise<Agent> {
  const byId = z.uuid().safeParse(nameOrId).success ? eq(agents.id, nameOrId) : undefined;
  const [row] = await tx
    .update(agents)
    .set({ revokedAt: sql`now()` })
    .where(and(isNull(agents.revokedAt), or(eq(agents.name, nameOrId), byId)))
    .returning();
  if (!row) throw new AppError('not_found', `no active agent named "${nameOrId}"; see \`schemagate agents list\``);
  await recordEvent(tx, { type: 'agent.revoked', actor: 'operator', data: { agent: row.name } });
  return toAgent(row);
}

/** The active agent holding `token`, or undefined for an unknown or revoked token. */
export async function findAgentByToken(db: DbOrTx, token: string): Promise<Agent | undefined> {
  const [row] = await db
    .select()
    .from(agents)
    .where(and(eq(agents.tokenHash, hashToken(token)), isNull(agents.revokedAt)));
  if (!row) return undefined;
  // last_used_at is for operators, to the minute: writing it on every request
  // would serialise an agent's concurrent requests on its row.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > lastUsedResolutionMs) {
    await db
      .update(agents)
      .set({ lastUsedAt: sql`now()` })
      .where(eq(agents.id, row.id));
  }
  return toAgent(row);
}

const lastUsedResolutionMs = 60_000;

function toAgent(row: typeof agents.$inferSelect): Agent {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as PrincipalKind,
    scopes: row.scopes as Scope[],
    tokenPrefix: row.tokenPrefix,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}
