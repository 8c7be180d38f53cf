/**
 * Infrastructure failures of the preview machinery, thrown as `PreviewError`
 * (never for a failing migration: that is a result).
 */
export const previewErrorCodes = [
  /** A branch name the provider cannot create (length, characters). */
  'invalid_branch_name',
  /** The provider holds as many preview branches as it may. */
  'branch_limit_reached',
  'branch_not_found',
  /** pg_dump / pg_restore are missing or older than the server they copy. */
  'client_tools_too_old',
  /** Copying production into the base of the previews failed. */
  'base_copy_failed',
  /** Production holds objects the in-process copy cannot reproduce (it needs pg_dump, or the same server). */
  'base_copy_unsupported',
  /** The applying role could escalate (checkRolePrivileges): superuser, CREATEROLE, a predefined role, SET ROLE... */
  'preview_role_too_powerful',
  /** The applying role does not own the branch's schemas. */
  'preview_role_not_owner',
  /** The preview server or a branch cannot be reached. */
  'connection_failed',
] as const;
export type PreviewErrorCode = (typeof previewErrorCodes)[number];

export function isPreviewErrorCode(code: string): code is PreviewErrorCode {
  return (previewErrorCodes as readonly string[]).includes(code);
}

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
  /** The configuration or the environment is wrong: a setting, a missing variable, a policy file. */
  | 'configuration_error'
  /** `serve` cannot listen: the HTTP port is taken (set PORT to another port). */
  | 'port_in_use'
  /** The embedded Postgres did not initialise or start: initdb or pg_ctl failed (the message carries their output). */
  | 'embedded_postgres_failed'
  /** Local review is configured where its repository directory cannot be written (a deployed function's read-only filesystem). */
  | 'local_review_unwritable'
  | 'production_role_too_powerful'
  | 'production_role_not_owner'
  | 'admin_privileges_missing'
  | 'production_setup_failed'
  | 'unavailable'
  | 'remote_error'
  | 'timeout'
  | 'internal_error'
  | PreviewErrorCode;

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

/**
 * Thrown when the preview cannot be carried out (server unreachable, limits,
 * tools missing). A migration that fails is a result, not a PreviewError.
 */
export class PreviewError extends AppError {
  declare readonly code: PreviewErrorCode;

  constructor(code: PreviewErrorCode, message: string, details?: unknown) {
    super(code, message, details);
    this.name = 'PreviewError';
  }
}
