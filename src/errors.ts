/** Stable error codes: clients and scripts may rely on them. */
export type ErrorCode =
  | 'invalid_json'
  | 'validation_failed'
  | 'invalid_cursor'
  | 'unauthorized'
  | 'invalid_signature'
  /** The jobs background function was called without the shared secret (SCHEMAGATE_JOBS_SECRET). */
  | 'invalid_jobs_secret'
  | 'missing_header'
  | 'insufficient_scope'
  | 'not_proposal_owner'
  | 'not_found'
  | 'route_not_found'
  | 'method_not_allowed'
  | 'idempotency_key_reused'
  | 'illegal_transition'
  | 'conflict'
  | 'payload_too_large'
  | 'sql_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'configuration_error'
  /** Local review is configured where its repository directory cannot be written (a deployed function's read-only filesystem). */
  | 'local_review_unwritable'
  | 'production_role_too_powerful'
  | 'production_role_not_owner'
  | 'admin_privileges_missing'
  | 'production_setup_failed'
  | 'unavailable'
  | 'remote_error'
  | 'timeout'
  | 'internal_error';

/**
 * The one error type services throw for expected failures. HTTP turns the
 * code into a status, the CLI into an exit code; anything else is a bug.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}
