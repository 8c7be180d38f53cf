/** Stable codes for infrastructure failures of the preview machinery (never for a failing migration). */
export type PreviewErrorCode =
  | 'invalid_branch_name'
  | 'branch_limit_reached'
  | 'branch_not_found'
  | 'client_tools_too_old'
  | 'base_copy_failed'
  /** Production holds objects the in-process copy cannot reproduce (it needs pg_dump, or the same server). */
  | 'base_copy_unsupported'
  /** The applying role could escalate (checkRolePrivileges): superuser, CREATEROLE, a predefined role, SET ROLE... */
  | 'preview_role_too_powerful'
  /** The applying role does not own the branch's schemas. */
  | 'preview_role_not_owner'
  | 'connection_failed';

/**
 * Thrown when the preview cannot be carried out (server unreachable, limits,
 * tools missing). A migration that fails is a result, not a PreviewError.
 */
export class PreviewError extends Error {
  readonly code: PreviewErrorCode;
  readonly details: unknown;

  constructor(code: PreviewErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'PreviewError';
    this.code = code;
    this.details = details;
  }
}
