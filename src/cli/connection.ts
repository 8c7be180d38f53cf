import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { createApiClient, type ApiClient } from '../client/api-client.ts';
import { AppError } from '../errors.ts';

const clientFile = z.strictObject({ url: z.url().optional(), token: z.string().min(1).optional() });

/**
 * Where the agent commands find their server and token, first match wins:
 * flags, then SCHEMAGATE_URL / SCHEMAGATE_TOKEN, then the client file
 * (SCHEMAGATE_CLIENT_CONFIG, default ~/.config/schemagate/client.json), then
 * the local agent token that `schemagate serve` writes on the embedded default.
 */
export function connect(
  flags: { url?: string | undefined; token?: string | undefined },
  env: NodeJS.ProcessEnv,
  cwd: string,
): ApiClient {
  const file = readClientFile(env);
  const url = flags.url ?? env.SCHEMAGATE_URL ?? file.url ?? 'http://localhost:8888';
  const token = flags.token ?? env.SCHEMAGATE_TOKEN ?? file.token ?? localToken(env, cwd);
  if (!token) {
    throw new AppError(
      'configuration_error',
      'no agent token: pass --token, set SCHEMAGATE_TOKEN, or create one with `schemagate agents create <name>`',
    );
  }
  if (!z.url().safeParse(url).success)
    throw new AppError('configuration_error', `server URL ${JSON.stringify(url)} is not a URL`);
  return createApiClient({ url, token });
}

function readClientFile(env: NodeJS.ProcessEnv): z.infer<typeof clientFile> {
  const file = env.SCHEMAGATE_CLIENT_CONFIG ?? path.join(env.HOME ?? homedir(), '.config/schemagate/client.json');
  if (!existsSync(file)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AppError('configuration_error', `${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = clientFile.safeParse(raw);
  if (!parsed.success) {
    throw new AppError(
      'configuration_error',
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

function localToken(env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  const file = path.resolve(cwd, env.SCHEMAGATE_DATA_DIR || '.schemagate', 'local-agent-token');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}
