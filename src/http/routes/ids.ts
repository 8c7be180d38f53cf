import { HttpError } from '../respond.ts';
import { proposalId } from '../schemas.ts';

/** The proposal id of a route; a malformed one cannot name a proposal, so it is a 404, not a Postgres error. */
export function idOf(params: Record<string, string>): string {
  const id = params.id ?? '';
  if (!proposalId.safeParse(id).success) throw new HttpError('not_found', `no proposal with id ${JSON.stringify(id)}`);
  return id;
}
