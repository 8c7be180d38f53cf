import { z } from 'zod';
import { HttpError } from './respond.ts';

/**
 * Reads a JSON body of at most `maxBytes`, refusing other media types. The
 * size is checked on the bytes actually received, not only the declared
 * Content-Length, so a chunked upload cannot slip past it.
 */
export async function readJson(
  request: Request,
  maxBytes: number,
  options: { optional?: boolean } = {},
): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (options.optional && !type && (request.body === null || request.headers.get('content-length') === '0'))
    return undefined;
  if (!/^application\/(.+\+)?json\s*(;|$)/i.test(type)) {
    throw new HttpError(
      'unsupported_media_type',
      `send the body as JSON with "Content-Type: application/json" (got "${type || 'none'}")`,
    );
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const bytes = await readCapped(request, maxBytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError('invalid_json', 'the body is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError('invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
  }
}

async function readCapped(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

const tooLarge = (maxBytes: number) =>
  new HttpError('payload_too_large', `the request body is larger than ${maxBytes} bytes`, {
    details: { max_bytes: maxBytes },
  });

/**
 * Parses untrusted input once, reporting every problem at once.
 *
 * @example
 * const body = parseInput(createProposalBody, await readJson(request, max));
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.join('.'),
    code: issue.code,
    message: unrecognizedMessage(issue) ?? issue.message,
  }));
  const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  throw new HttpError('validation_failed', `invalid ${where}: ${summary}`, { details: { issues } });
}

function unrecognizedMessage(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code !== 'unrecognized_keys') return undefined;
  return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
}

/**
 * The query string as an object for zod. The keys are the client's: on a
 * null-prototype object "__proto__" or "constructor" is an ordinary key
 * (refused as unknown by the strict schemas), never the prototype.
 */
export function queryObject(request: Request): Record<string, string> {
  const query: Record<string, string> = Object.create(null);
  for (const [key, value] of new URL(request.url).searchParams) query[key] = value;
  return query;
}
