import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { agents, auditEvents } from '../../db/schema.ts';
import type { DbOrTx } from '../database/connection.ts';
import { AppError } from '../errors.ts';
import { generateToken, hashToken, tokenPrefix } from './tokens.ts';

/** What an agent token may do. Agent tokens can never reach production. */
export const agentScopes = ['propose', 'read'] as const;
export type Scope = (typeof agentScopes)[number];

export const agentNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'use 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit');

export interface Agent {
  id: string;
  name: string;
  scopes: Scope[];
  tokenPrefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/**
 * Creates an agent and returns its token. The token is shown only here:
 * the database keeps its sha256.
 *
 * @example
 * const { agent, token } = await createAgent(db, { name: 'claude', scopes: ['propose', 'read'] });
 */
export async function createAgent(
  db: DbOrTx,
  input: { name: string; scopes: Scope[] },
): Promise<{ agent: Agent; token: string }> {
  const token = generateToken();
  const [row] = await db
    .insert(agents)
    .values({ name: input.name, scopes: input.scopes, tokenHash: hashToken(token), tokenPrefix: tokenPrefix(token) })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new AppError('conflict', `an active agent named "${input.name}" already exists; revoke it first or pick another name`);
  await db.insert(auditEvents).values({ type: 'agent.created', actor: 'operator', data: { agent: row.name, scopes: row.scopes } });
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

/** Revokes the active agent with this name or id; its token stops working at once. */
export async function revokeAgent(db: DbOrTx, nameOrId: string): Promise<Agent> {
  const byId = z.uuid().safeParse(nameOrId).success ? eq(agents.id, nameOrId) : undefined;
  const [row] = await db
    .update(agents)
    .set({ revokedAt: sql`now()` })
    .where(and(isNull(agents.revokedAt), or(eq(agents.name, nameOrId), byId)))
    .returning();
  if (!row) throw new AppError('not_found', `no active agent named "${nameOrId}"; see \`schemagate agents list\``);
  await db.insert(auditEvents).values({ type: 'agent.revoked', actor: 'operator', data: { agent: row.name } });
  return toAgent(row);
}

/** The active agent holding `token`, or undefined for an unknown or revoked token. */
export async function findAgentByToken(db: DbOrTx, token: string): Promise<Agent | undefined> {
  const [row] = await db
    .update(agents)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(agents.tokenHash, hashToken(token)), isNull(agents.revokedAt)))
    .returning();
  return row ? toAgent(row) : undefined;
}

function toAgent(row: typeof agents.$inferSelect): Agent {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes as Scope[],
    tokenPrefix: row.tokenPrefix,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}
