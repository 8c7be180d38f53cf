import { AppError, type ErrorCode } from '../errors.ts';
import { exitCodes, type CliIO } from './io.ts';

export const printJson = (io: CliIO, value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`);

const { failed, usage, timeout, unavailable } = exitCodes;

/** Every code decides its exit code here, so a new code cannot fall through unnoticed. */
const exitCodeOf: Record<ErrorCode, number> = {
  invalid_json: failed,
  validation_failed: usage,
  invalid_cursor: failed,
  unauthorized: unavailable,
  invalid_signature: failed,
  invalid_jobs_secret: failed,
  missing_header: failed,
  insufficient_scope: failed,
  not_proposal_owner: failed,
  not_found: failed,
  route_not_found: failed,
  method_not_allowed: failed,
  idempotency_key_reused: failed,
  illegal_transition: failed,
  conflict: failed,
  payload_too_large: failed,
  sql_too_large: failed,
  unsupported_media_type: failed,
  rate_limited: failed,
  configuration_error: usage,
  port_in_use: usage,
  embedded_postgres_failed: failed,
  local_review_unwritable: usage,
  production_role_too_powerful: failed,
  production_role_not_owner: failed,
  admin_privileges_missing: failed,
  production_setup_failed: failed,
  unavailable: unavailable,
  remote_error: unavailable,
  timeout: timeout,
  internal_error: failed,
  invalid_branch_name: failed,
  branch_limit_reached: failed,
  branch_not_found: failed,
  client_tools_too_old: failed,
  base_copy_failed: failed,
  base_copy_unsupported: failed,
  preview_role_too_powerful: failed,
  preview_role_not_owner: failed,
  connection_failed: unavailable,
};

/** Expected failures become a message and an exit code; anything else is a bug and shows its stack. */
export function reportError(io: CliIO, error: unknown, json: boolean): number {
  if (!(error instanceof AppError)) {
    io.stderr(`schemagate: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return exitCodes.failed;
  }
  if (json) printJson(io, { error: { code: error.code, message: error.message } });
  else io.stderr(`schemagate: ${error.message}\n`);
  return exitCodeOf[error.code];
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
