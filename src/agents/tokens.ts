import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'sg_';

/** A new agent token: 256 random bits, recognisable by its `sg_` prefix. */
export function generateToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

// Tokens carry 256 bits of entropy, so a fast hash is enough: there is nothing
// to brute-force, and lookups stay a single index probe.
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** What `agents list` shows to tell tokens apart without revealing them. */
export function tokenPrefix(token: string): string {
  return token.slice(0, PREFIX.length + 6);
}
