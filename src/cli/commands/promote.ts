import { parseCommandArgs } from '../args.ts';
import { withDb } from '../control-plane-db.ts';
import { exitCodes, type CliIO } from '../io.ts';
import { printJson } from '../output.ts';
import { AppError } from '../../errors.ts';
import { retryPromotion } from '../../promote/retry-promotion.ts';
import { promoteUsage } from '../usage.ts';

/**
 * `schemagate promote --retry <id>`: queues the promotion again after an
 * operator dealt with the cause of the failure; the promotion worker runs it.
 *
 * @example
 * process.exitCode = await promoteCommand(['--retry', id], processIO());
 */
export async function promoteCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { retry: { type: 'string' }, json: { type: 'boolean' } });
  const id = values.retry;
  if (!id || positionals.length > 0) throw new AppError('validation_failed', promoteUsage);
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new AppError('not_found', `no proposal with id ${id}`);
  const queued = await withDb(io, (db) => retryPromotion(db, id, `cli:${io.env.USER ?? 'operator'}`));
  if (values.json)
    printJson(io, { proposal_id: id, promotion_id: queued.promotionId, revision: queued.revision, status: 'queued' });
  else io.stdout(`Queued promotion ${queued.promotionId} of proposal ${id} (revision ${queued.revision}).\n`);
  return exitCodes.ok;
}
