import { notFound, ok, param, type Handler } from '../handler-types.ts';

// Teams live in the repository owner's organisation; only members are known.
const getMembership: Handler = async (context) => {
  const team = context.state.teams.get(param(context, 'team_slug'));
  const login = param(context, 'username');
  if (param(context, 'org') !== context.state.owner || !team?.members.includes(login)) throw notFound();
  return ok({ url: `${context.state.apiUrl}/teams/${team.id}/memberships/${login}`, role: 'member', state: 'active' });
};

export const teamsHandlers: Record<string, Handler> = {
  'teams/get-membership-for-user-in-org': getMembership,
};
