import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError } from '../errors.ts';
import { exitCodes, type CliIO } from './io.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** `util.parseArgs`, with unknown flags and missing values reported as usage errors. */
export function parseCommandArgs<T extends Options>(args: string[], options: T) {
  const parsed = safeParseCommandArgs(args, options);
  if (!parsed.ok) throw new AppError('validation_failed', parsed.message);
  return parsed;
}

/**
 * `util.parseArgs` (strict) returning what is wrong instead of throwing, for the commands
 * CI runs (lint, check): they print the message above their own usage.
 *
 * @example
 * const parsed = safeParseCommandArgs(args, { json: { type: 'boolean' } }, { positionals: false });
 * if (!parsed.ok) return usageFailure(io, 'check', checkUsage, parsed.message);
 */
export function safeParseCommandArgs<T extends Options>(
  args: string[],
  options: T,
  { positionals = true }: { positionals?: boolean } = {},
) {
  try {
    return { ok: true as const, ...parseArgs({ args, options, allowPositionals: positionals, strict: true }) };
  } catch (error) {
    return { ok: false as const, message: (error as Error).message };
  }
}

/** Prints `schemagate <command>: <message>` and the command's usage to stderr; returns the usage exit code. */
export function usageFailure(io: CliIO, command: string, usage: string, message: string): number {
  io.stderr(`schemagate ${command}: ${message}\n\n${usage}`);
  return exitCodes.usage;
}
