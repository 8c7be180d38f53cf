import { AppError } from '../errors.ts';
import { exitCodes, type CliIO } from './io.ts';

export const printJson = (io: CliIO, value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`);

/** Expected failures become a message and an exit code; anything else is a bug and shows its stack. */
export function reportError(io: CliIO, error: unknown, json: boolean): number {
  if (!(error instanceof AppError)) {
    io.stderr(`schemagate: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return exitCodes.failed;
  }
  if (json) printJson(io, { error: { code: error.code, message: error.message } });
  else io.stderr(`schemagate: ${error.message}\n`);
  if (
    error.code === 'validation_failed' ||
    error.code === 'configuration_error' ||
    error.code === 'local_review_unwritable'
  )
    return exitCodes.usage;
  if (error.code === 'timeout') return exitCodes.timeout;
  if (error.code === 'unavailable' || error.code === 'unauthorized' || error.code === 'remote_error')
    return exitCodes.unavailable;
  return exitCodes.failed;
}

/** Columns padded to their widest cell. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return (
    rows
      .map((r) =>
        r
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
