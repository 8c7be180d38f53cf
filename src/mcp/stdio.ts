import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

/**
 * Serves MCP on stdin/stdout and resolves when the client is gone. The SDK's
 * stdio transport does not notice the end of stdin by itself: the process
 * would then idle out with a promise that never settles (Node's exit code 13,
 * "unsettled top-level await") instead of exiting cleanly.
 *
 * @example
 * await serveStdio(createMcpServer(api)); // returns when the client closes stdin
 */
export async function serveStdio(
  server: McpServer,
  stdin: NodeJS.ReadableStream = process.stdin,
  stdout: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const transport = new StdioServerTransport(stdin as typeof process.stdin, stdout as typeof process.stdout);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = resolve;
    const end = () => void server.close().finally(resolve);
    stdin.once('end', end);
    stdin.once('close', end);
  });
  await server.connect(transport);
  await closed;
}
