import { createHash } from 'node:crypto';

/**
 * The hex sha256 schemagate pins SQL with: of a string's UTF-8 bytes, or of raw bytes.
 *
 * @example
 * sha256('select 1;'); // '…64 hex digits…'
 */
export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
