import { loadConfig } from '../../config.ts';
import { openControlPlane } from '../../database/control-plane.ts';
import { AppError } from '../../errors.ts';
import { parseCommandArgs } from '../args.ts';
import { exitCodes, type CliIO } from '../io.ts';
import { printJson } from '../output.ts';
import { dbUsage } from '../usage.ts';

export async function dbCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return (io.stdout(dbUsage), exitCodes.ok);
  if (positionals.length !== 1 || positionals[0] !== 'migrate') throw new AppError('validation_failed', dbUsage);
  const config = loadConfig({ env: io.env, cwd: io.cwd });
  const plane = await openControlPlane(config, { log: (line) => io.stderr(`${line}\n`) });
  await plane.release();
  if (values.json) printJson(io, { applied: plane.migrations.applied, embedded: Boolean(plane.embedded) });
  else
    io.stdout(
      plane.migrations.applied > 0
        ? `Applied ${plane.migrations.applied} migration(s).\n`
        : 'The control plane is up to date.\n',
    );
  return exitCodes.ok;
}
