import { agentsCommand, agentsUsage } from './commands/agents.ts';
import { dbCommand, dbUsage } from './commands/db.ts';
import { listCommand, proposalsUsage, proposeCommand, statusCommand, waitCommand, withdrawCommand } from './commands/proposals.ts';
import { reviewCommand, reviewUsage } from './commands/review.ts';
import { serveCommand, serveUsage } from './commands/serve.ts';
import { lint } from './lint.ts';
import { checkCommand, checkUsage } from './check.ts';
import { promoteCommand, promoteUsage } from './commands/promote.ts';
import { productionCommand, productionUsage } from './commands/production.ts';
import { mcpCommand, mcpUsage } from './commands/mcp.ts';
import { exitCodes, processIO, type CliIO } from './io.ts';
import { reportError } from './output.ts';
import { version } from '../http/version.ts';

type Command = (args: string[], io: CliIO) => Promise<number>;

const commands: Record<string, { run: Command; summary: string }> = {
  serve: { run: serveCommand, summary: 'serve the API (embedded Postgres unless DATABASE_URL is set)' },
  agents: { run: agentsCommand, summary: 'create, list and revoke agent tokens' },
  db: { run: dbCommand, summary: 'apply the control-plane migrations' },
  mcp: { run: mcpCommand, summary: 'an MCP server for agents on stdio (propose, revise, status, wait)' },
  review: { run: reviewCommand, summary: 'approve, request changes on or reject a proposal (local review)' },
  promote: { run: promoteCommand, summary: 'retry a failed promotion (operators)' },
  production: { run: productionCommand, summary: 'set up the least-privileged role promotions run as (operators)' },
  check: { run: checkCommand, summary: "check a repository's migration history for CI (docs/check.md)" },
  lint: { run: lint, summary: 'check migration files with the rule catalog (docs/rules.md)' },
  propose: { run: proposeCommand, summary: 'propose a migration file (agents)' },
  status: { run: statusCommand, summary: 'show a proposal' },
  wait: { run: waitCommand, summary: 'wait until a proposal is previewed, approved or promoted' },
  withdraw: { run: withdrawCommand, summary: 'withdraw a proposal' },
  list: { run: listCommand, summary: 'list proposals' },
};

export const usage = () =>
  `schemagate ${version}: agents propose Postgres migrations, humans approve exactly what was previewed.

Usage: schemagate <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

${serveUsage}
${agentsUsage}
${dbUsage}
${proposalsUsage}
${mcpUsage}
${reviewUsage}
${promoteUsage}
${productionUsage}
${checkUsage}
Every command takes --json. Exit codes: 0 ok, 1 failed (or the proposal ended short of the awaited status),
2 usage or configuration error, 3 wait timed out, 4 server or database unreachable, token refused or server error.
`;

/**
 * Runs the CLI; returns the exit code instead of exiting, so tests can call it.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') return io.stdout(usage()), exitCodes.ok;
  if (name === '--version' || name === '-v') return io.stdout(`${version}\n`), exitCodes.ok;
  const command = commands[name];
  if (!command) {
    io.stderr(`schemagate: unknown command "${name}"\n\n${usage()}`);
    return exitCodes.usage;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    return reportError(io, error, args.includes('--json'));
  }
}
