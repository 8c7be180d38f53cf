import { exitCodes, processIO, type CliIO } from './io.ts';
import {
  agentsUsage,
  checkUsage,
  dbUsage,
  mcpUsage,
  productionUsage,
  promoteUsage,
  proposalsUsage,
  reviewUsage,
  serveUsage,
} from './usage.ts';
import { version } from '../http/version.ts';

type Command = (args: string[], io: CliIO) => Promise<number>;

// Each command is imported when it runs, never at start: `--help`, `lint` and `check`
// must not pay for the server, Octokit, the MCP SDK or @netlify/* (seconds and hundreds of MB).
const commands: Record<string, { load: () => Promise<Command>; summary: string }> = {
  serve: {
    load: async () => (await import('./commands/serve.ts')).serveCommand,
    summary: 'serve the API (embedded Postgres unless DATABASE_URL is set)',
  },
  agents: {
    load: async () => (await import('./commands/agents.ts')).agentsCommand,
    summary: 'create, list and revoke agent tokens',
  },
  db: { load: async () => (await import('./commands/db.ts')).dbCommand, summary: 'apply the control-plane migrations' },
  mcp: {
    load: async () => (await import('./commands/mcp.ts')).mcpCommand,
    summary: 'an MCP server for agents on stdio (propose, revise, status, wait)',
  },
  review: {
    load: async () => (await import('./commands/review.ts')).reviewCommand,
    summary: 'approve, request changes on or reject a proposal (local review)',
  },
  promote: {
    load: async () => (await import('./commands/promote.ts')).promoteCommand,
    summary: 'retry a failed promotion (operators)',
  },
  production: {
    load: async () => (await import('./commands/production.ts')).productionCommand,
    summary: 'set up the least-privileged role promotions run as (operators)',
  },
  check: {
    load: async () => (await import('./commands/check.ts')).checkCommand,
    summary: "check a repository's migration history for CI (docs/check.md)",
  },
  lint: {
    load: async () => (await import('./commands/lint.ts')).lintCommand,
    summary: 'check migration files with the rule catalog (docs/rules.md)',
  },
  propose: {
    load: async () => (await import('./commands/proposals.ts')).proposeCommand,
    summary: 'propose a migration file (agents)',
  },
  status: { load: async () => (await import('./commands/proposals.ts')).statusCommand, summary: 'show a proposal' },
  wait: {
    load: async () => (await import('./commands/proposals.ts')).waitCommand,
    summary: 'wait until a proposal is previewed, approved or promoted',
  },
  withdraw: {
    load: async () => (await import('./commands/proposals.ts')).withdrawCommand,
    summary: 'withdraw a proposal',
  },
  list: { load: async () => (await import('./commands/proposals.ts')).listCommand, summary: 'list proposals' },
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
  if (!name || name === 'help' || name === '--help' || name === '-h') return (io.stdout(usage()), exitCodes.ok);
  if (name === '--version' || name === '-v') return (io.stdout(`${version}\n`), exitCodes.ok);
  const command = commands[name];
  if (!command) {
    io.stderr(`schemagate: unknown command "${name}"\n\n${usage()}`);
    return exitCodes.usage;
  }
  try {
    return await (
      await command.load()
    )(args, io);
  } catch (error) {
    // Loaded on failure only: every module is one more file to read and strip of its types at start.
    const { reportError } = await import('./output.ts');
    return reportError(io, error, args.includes('--json'));
  }
}
