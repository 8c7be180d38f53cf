import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../database/connection.ts';
import { AppError } from '../errors.ts';

/**
 * A cheap token that changes whenever anything a reader sees of a proposal
 * does: its status or row, a new audit event (every review and transition
 * writes one), a preview finishing. Watchers compare it instead of reading
 * the whole proposal.
 *
 * @example
 * const before = await proposalVersion(db, id); // later: (await proposalVersion(db, id)) !== before
 */
export async function proposalVersion(db: DbOrTx, id: string): Promise<{ status: string; version: string }> {
  // Raw SQL: drizzle leaves columns in subqueries unqualified, and proposal_id = id would be ambiguous.
  const { rows } = await db.execute<{
    status: string;
    updated_at: string;
    last_event: string | null;
    last_preview: string | null;
  }>(sql`
    select p.status, p.updated_at::text as updated_at,
      (select max(e.id)::text from schemagate.audit_events e where e.proposal_id = p.id) as last_event,
      (select max(coalesce(r.finished_at, r.created_at))::text from schemagate.preview_runs r where r.proposal_id = p.id) as last_preview
    from schemagate.proposals p where p.id = ${id}`);
  const row = rows[0];
  if (!row) throw new AppError('not_found', `no proposal with id ${id}`);
  return {
    status: row.status,
    version: [row.status, row.updated_at, row.last_event ?? '', row.last_preview ?? ''].join('|'),
  };
}
