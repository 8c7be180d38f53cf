import { AppError, isPreviewErrorCode, type ErrorCode, type PreviewErrorCode } from '../errors.ts';

// Failures of the preview machinery (PreviewErrorCode) have no status of their own: errorResponse answers them as internal errors.
const statusOf: Record<Exclude<ErrorCode, PreviewErrorCode>, number> = {
  invalid_json: 400,
  validation_failed: 400,
  invalid_cursor: 400,
  unauthorized: 401,
  invalid_signature: 401,
  invalid_jobs_secret: 401,
  missing_header: 400,
  insufficient_scope: 403,
  not_proposal_owner: 403,
  not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  idempotency_key_reused: 409,
  illegal_transition: 409,
  conflict: 409,
  payload_too_large: 413,
  sql_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  configuration_error: 500,
  port_in_use: 500,
  embedded_postgres_failed: 500,
  local_review_unwritable: 500,
  production_role_too_powerful: 500,
  production_role_not_owner: 500,
  admin_privileges_missing: 500,
  production_setup_failed: 500,
  unavailable: 503,
  remote_error: 502,
  timeout: 504,
  internal_error: 500,
};

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body, null, 2), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/** An `AppError` thrown at the edge, carrying the response headers it needs. */
export class HttpError extends AppError {
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: { details?: unknown; headers?: Record<string, string> } = {}) {
    super(code, message, options.details);
    this.headers = options.headers ?? {};
  }
}

/**
 * Known errors become their status and stable code; anything else is logged
 * and answered with a generic 500 that reveals no internals.
 */
export function errorResponse(error: unknown, log: (message: string, error: unknown) => void): Response {
  // The preview machinery's failures are the server's to look into: logged, and answered without their internals.
  if (error instanceof AppError && !isPreviewErrorCode(error.code)) {
    const body = {
      error: {
        code: error.code,
        message: error.message,
        ...(error.details === undefined ? {} : { details: error.details }),
      },
    };
    return json(statusOf[error.code], body, error instanceof HttpError ? error.headers : {});
  }
  log('unexpected error while handling a request', error);
  return json(500, { error: { code: 'internal_error', message: 'internal error; the server log has the details' } });
}
