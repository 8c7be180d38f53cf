import { AppError, type PreviewErrorCode } from '../errors.ts';

export type { PreviewErrorCode } from '../errors.ts';

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
