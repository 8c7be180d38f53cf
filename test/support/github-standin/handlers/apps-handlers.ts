import { randomBytes, verify } from 'node:crypto';
import { GithubApiError, notFound, ok, param, type Actor, type Handler } from '../handler-types.ts';
import type { StandinState } from '../standin-state.ts';

/**
 * Checks a GitHub App JWT (RS256, `iss` = app id, not expired) against the
 * public keys of the apps the test registered.
 */
export function verifyAppJwt(state: StandinState, jwt: string): Actor | undefined {
  const [header, payload, signature] = jwt.split('.');
  if (!header || !payload || !signature) return undefined;
  let claims: { iss?: unknown; exp?: unknown; iat?: unknown };
  try {
    const head = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string };
    if (head.alg !== 'RS256') return undefined;
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  } catch {
    return undefined;
  }
  const app = state.apps.get(Number(claims.iss));
  if (!app) return undefined;
  const signed = verify(
    'RSA-SHA256',
    Buffer.from(`${header}.${payload}`),
    app.publicKey,
    Buffer.from(signature, 'base64url'),
  );
  const seconds = Date.now() / 1000;
  // GitHub allows at most ten minutes of validity and a little clock drift.
  const fresh = typeof claims.exp === 'number' && claims.exp > seconds && claims.exp - seconds <= 660;
  if (!signed || !fresh) return undefined;
  return { login: `${app.slug}[bot]`, kind: 'app', appId: app.appId };
}

const createInstallationToken: Handler = async (context) => {
  if (context.actor.kind !== 'app' || context.actor.appId === undefined) {
    throw new GithubApiError(401, 'A JSON web token could not be decoded');
  }
  const app = context.state.apps.get(context.actor.appId);
  if (!app || app.installationId !== Number(param(context, 'installation_id'))) throw notFound();
  const token = `ghs_${randomBytes(18).toString('base64url')}`;
  const login = `${app.slug}[bot]`;
  context.state.users.set(
    login,
    context.state.users.get(login) ?? { id: context.state.nextId(), login, role: 'none', type: 'Bot' },
  );
  context.state.tokens.set(token, { login, kind: 'installation', appId: app.appId });
  return ok(
    {
      token,
      expires_at: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      permissions: { checks: 'write', contents: 'write', metadata: 'read', pull_requests: 'write', statuses: 'write' },
      repository_selection: 'selected',
    },
    201,
  );
};

export const appsHandlers: Record<string, Handler> = {
  'apps/create-installation-access-token': createInstallationToken,
};
