import { createMcpServer } from '../../mcp/mcp-server.ts';
import { serveStdio } from '../../mcp/stdio.ts';
import { parseCommandArgs } from '../args.ts';
import { connect } from '../connection.ts';
import { exitCodes, type CliIO } from '../io.ts';

export const mcpUsage = `Usage (agents):
  schemagate mcp [--url <server>] [--token <agent token>]   an MCP server on stdio: propose, revise, status, wait, report, list, withdraw
`;

/** Serves MCP on stdin/stdout until the client closes stdin. */
export async function mcpCommand(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs(args, { url: { type: 'string' }, token: { type: 'string' } });
  await serveStdio(createMcpServer(connect(values, io.env, io.cwd)));
  return exitCodes.ok;
}
