import { and, eq, isNull } from 'drizzle-orm';
import { agents } from '../../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { reviewLocally, type LocalVerdict } from '../../review/local-review.ts';
import { parseCommandArgs } from '../args.ts';
import { exitCodes, type CliIO } from '../io.ts';
import { printJson } from '../output.ts';
import { withDb } from '../control-plane-db.ts';
import { reviewUsage } from '../usage.ts';

const verdicts: Record<string, LocalVerdict> = {
  approve: 'APPROVED',
  'request-changes': 'CHANGES_REQUESTED',
  reject: 'REJECTED',
};

/** An operator records a local reviewer's verdict; the reviewer must exist (`agents create <name> --reviewer`). */
export async function reviewCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    as: { type: 'string' },
    comment: { type: 'string' },
    sha256: { type: 'string' },
    json: { type: 'boolean' },
  });
  const [verb, id, ...extra] = positionals;
  const state = verb ? verdicts[verb] : undefined;
  if (!state || !id || extra.length > 0 || !values.as) throw new AppError('validation_failed', reviewUsage);
  const reviewer = values.as;
  const outcome = await withDb(io, async (db, config) => {
    const [row] = await db
      .select({ id: agents.id })
      .from(agents)
      .where(and(eq(agents.name, reviewer), eq(agents.kind, 'reviewer'), isNull(agents.revokedAt)));
    if (!row)
      throw new AppError(
        'not_found',
        `no active reviewer named "${reviewer}"; create one with \`schemagate agents create ${reviewer} --reviewer\``,
      );
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new AppError('not_found', `no proposal with id ${id}`);
    return db.transaction((tx) =>
      reviewLocally(tx, config.policy.approvals, {
        proposalId: id,
        reviewer,
        state,
        comment: values.comment,
        sha256: values.sha256,
      }),
    );
  });
  if (values.json)
    printJson(io, {
      status: outcome.status,
      approved_by: outcome.decision.approvedBy,
      changes_requested_by: outcome.decision.blockedBy,
    });
  else {
    const { approvedBy, required } = outcome.decision;
    const tally = Number.isFinite(required)
      ? `${approvedBy.length}/${required} approvals`
      : 'this risk class can never be approved';
    io.stdout(`Proposal ${id} is ${outcome.status} (${tally}).\n`);
  }
  return exitCodes.ok;
}
