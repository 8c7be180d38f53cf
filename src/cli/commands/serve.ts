import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../config.ts';
import { AppError } from '../../errors.ts';
import { projectRoot, serve } from '../../server/serve.ts';
import { parseCommandArgs } from '../args.ts';
import { exitCodes, type CliIO } from '../io.ts';
import { serveUsage } from '../usage.ts';

export async function serveCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    port: { type: 'string' },
    'netlify-dev': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return (io.stdout(serveUsage), exitCodes.ok);
  if (positionals.length > 0) throw new AppError('validation_failed', serveUsage);
  // The emulation bundles a checkout's functions with @netlify/dev, a development dependency: the published package has neither.
  if (values['netlify-dev'] && !existsSync(path.join(projectRoot, 'netlify.toml'))) {
    throw new AppError(
      'configuration_error',
      '--netlify-dev serves the functions of a schemagate checkout through @netlify/dev; the installed package serves them in-process: drop --netlify-dev',
    );
  }
  const config = loadConfig({ env: values.port ? { ...io.env, PORT: values.port } : io.env, cwd: io.cwd });
  const started = Date.now();
  const server = await serve(config, {
    log: (line) => io.stderr(`${line}\n`),
    netlifyDev: values['netlify-dev'] === true,
  });
  io.stdout(`schemagate is serving ${server.url}/api (ready in ${Date.now() - started} ms)\n`);
  io.stdout(
    `  database: ${config.databaseUrl ? 'DATABASE_URL' : `embedded Postgres in ${path.relative(io.cwd, config.dataDir) || '.'}/postgres`}\n`,
  );
  if (server.localToken) {
    io.stdout(
      `\nA local agent was created. Its token (also in ${path.join(path.relative(io.cwd, config.dataDir), 'local-agent-token')}):\n\n  ${server.localToken}\n\n`,
    );
    io.stdout(
      `Try:\n  curl -X POST ${server.url}/api/proposals \\\n    -H "Authorization: Bearer ${server.localToken}" -H "Content-Type: application/json" \\\n    -d '{"title":"Add notes","sql":"create table notes (id bigint generated always as identity primary key, body text not null);"}'\n`,
    );
  }
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  // A second signal means "now": a service manager or an impatient user should never need SIGKILL.
  const force = () => process.exit(exitCodes.failed);
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
  io.stderr(`${signal}: shutting down (no new connections, finishing requests in flight)\n`);
  await server.close();
  io.stderr('stopped\n');
  process.off('SIGINT', force);
  process.off('SIGTERM', force);
  return exitCodes.ok;
}
