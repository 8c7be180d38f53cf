import { auditEvents } from '../../db/schema.ts';
import type { Tx } from './connection.ts';

/** One entry of the append-only audit trail, as the table takes it; its id and time are the database's. */
export type AuditEvent = Omit<typeof auditEvents.$inferInsert, 'id' | 'createdAt' | 'data'> & {
  data?: Record<string, unknown>;
};

/**
 * Appends an audit event in the caller's transaction, so the event is written
 * if and only if the change it records is.
 *
 * @example
 * await recordEvent(tx, { proposalId, type: 'review.published', actor: 'schemagate', data: { provider: 'local' } });
 */
export async function recordEvent(tx: Tx, event: AuditEvent): Promise<void> {
  await tx.insert(auditEvents).values(event);
}
