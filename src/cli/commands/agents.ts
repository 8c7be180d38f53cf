import {
  agentNameSchema,
  agentScopes,
  createAgent,
  listAgents,
  reviewerScopes,
  revokeAgent,
  type Agent,
  type Scope,
} from '../../agents/agents.ts';
import { AppError } from '../../errors.ts';
import { parseCommandArgs } from '../args.ts';
import { withDb } from '../control-plane-db.ts';
import { exitCodes, type CliIO } from '../io.ts';
import { printJson, table } from '../output.ts';
import { agentsUsage } from '../usage.ts';

export async function agentsCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    scope: { type: 'string', multiple: true },
    all: { type: 'boolean' },
    reviewer: { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const [action, target, ...rest] = positionals;
  if (values.help) return (io.stdout(agentsUsage), exitCodes.ok);
  if (!action || rest.length > 0) throw new AppError('validation_failed', `expected one action\n${agentsUsage}`);
  const json = Boolean(values.json);

  return withDb(io, async (db) => {
    switch (action) {
      case 'create': {
        const name = agentNameSchema.safeParse(target);
        if (!name.success)
          throw new AppError('validation_failed', `agent name: ${name.error.issues[0]?.message}\n${agentsUsage}`);
        const kind = values.reviewer ? 'reviewer' : 'agent';
        const scopes = parseScopes(values.scope, kind === 'agent' ? agentScopes : reviewerScopes);
        const { agent, token } = await db.transaction((tx) => createAgent(tx, { name: name.data, scopes, kind }));
        if (json) printJson(io, { token, agent: present(agent) });
        else
          io.stdout(
            `Created ${agent.kind} "${agent.name}" (${agent.scopes.join(', ')}).\nToken (shown once, store it now):\n\n  ${token}\n`,
          );
        return exitCodes.ok;
      }
      case 'list': {
        const agents = await listAgents(db, { includeRevoked: Boolean(values.all) });
        if (json) printJson(io, { agents: agents.map(present) });
        else if (agents.length === 0) io.stdout('No agents. Create one with `schemagate agents create <name>`.\n');
        else
          io.stdout(
            table([
              ['NAME', 'KIND', 'TOKEN', 'SCOPES', 'CREATED', 'LAST USED', 'REVOKED'],
              ...agents.map((a) => [
                a.name,
                a.kind,
                `${a.tokenPrefix}…`,
                a.scopes.join(','),
                iso(a.createdAt),
                iso(a.lastUsedAt),
                iso(a.revokedAt),
              ]),
            ]),
          );
        return exitCodes.ok;
      }
      case 'revoke': {
        if (!target) throw new AppError('validation_failed', `name the agent to revoke\n${agentsUsage}`);
        const agent = await db.transaction((tx) => revokeAgent(tx, target));
        if (json) printJson(io, { agent: present(agent) });
        else io.stdout(`Revoked agent "${agent.name}"; its token no longer works.\n`);
        return exitCodes.ok;
      }
      default:
        throw new AppError('validation_failed', `unknown action "${action}"\n${agentsUsage}`);
    }
  });
}

function parseScopes(values: string[] | undefined, allowed: readonly Scope[]): Scope[] {
  if (!values || values.length === 0) return [...allowed];
  const unknown = values.filter((s) => !(allowed as readonly string[]).includes(s));
  if (unknown.length > 0)
    throw new AppError(
      'validation_failed',
      `unknown scope ${unknown.join(', ')}; these tokens may only have: ${allowed.join(', ')}`,
    );
  return [...new Set(values as Scope[])];
}

const iso = (d: Date | null) => (d ? d.toISOString().replace(/\.\d+Z$/, 'Z') : '-');

const present = (a: Agent) => ({
  id: a.id,
  name: a.name,
  kind: a.kind,
  scopes: a.scopes,
  token_prefix: a.tokenPrefix,
  created_at: a.createdAt.toISOString(),
  last_used_at: a.lastUsedAt?.toISOString() ?? null,
  revoked_at: a.revokedAt?.toISOString() ?? null,
});
