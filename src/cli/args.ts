import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError } from '../errors.ts';

/** `util.parseArgs`, with unknown flags and missing values reported as usage errors. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new AppError('validation_failed', (error as Error).message);
  }
}
