import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer } from '../../mcp/mcp-server.ts';
import { parseCommandArgs } from '../args.ts';
import { connect } from '../connection.ts';
import { exitCodes, type CliIO } from '../io.ts';

export const mcpUsage = `Usage (agents):
  schemagate mcp [--url <server>] [--token <agent token>]   an MCP server on stdio: propose, revise, status, wait
`;

/** Serves MCP on stdin/stdout until the client disconnects. */
export async function mcpCommand(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs(args, { url: { type: 'string' }, token: { type: 'string' } });
  const server = createMcpServer(connect(values, io.env, io.cwd));
  const closed = new Promise<void>((resolve) => (server.server.onclose = resolve));
  await server.connect(new StdioServerTransport());
  await closed;
  return exitCodes.ok;
}
