import { Webhooks } from '@octokit/webhooks';

const SIGNATURE = /^sha256=[0-9a-f]{64}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Checks `X-Hub-Signature-256` against the raw request body, before anything
 * parses it. Uses @octokit/webhooks' verify (HMAC-SHA256, compared in
 * constant time). Never throws: a missing or malformed signature is false.
 *
 * @example
 *   const raw = new Uint8Array(await request.arrayBuffer()); // bytes: text() would repair bad UTF-8
 *   if (!(await verifyWebhook(secret, raw, request.headers.get('x-hub-signature-256')))) {
 *     return new Response('invalid signature', { status: 401 });
 *   }
 */
export async function verifyWebhook(
  secret: string,
  rawBody: string | Uint8Array,
  signatureHeader: string | null | undefined,
): Promise<boolean> {
  if (!secret || !signatureHeader || !SIGNATURE.test(signatureHeader)) return false;
  let payload: string;
  try {
    // GitHub signs UTF-8 JSON; bytes that are not UTF-8 cannot be what it sent.
    payload = typeof rawBody === 'string' ? rawBody : utf8.decode(rawBody);
  } catch {
    return false;
  }
  if (payload.length === 0) return false;
  try {
    return await new Webhooks({ secret }).verify(payload, signatureHeader);
  } catch {
    return false;
  }
}
