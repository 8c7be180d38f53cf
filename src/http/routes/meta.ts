import { sql } from 'drizzle-orm';
import type { HttpDeps } from '../deps.ts';
import { openApiDocument } from '../openapi.ts';
import { version } from '../version.ts';
import { json } from '../respond.ts';

export async function healthRoute(_request: Request, deps: HttpDeps): Promise<Response> {
  const database = await deps.db
    .execute(sql`select 1`)
    .then(() => 'ok' as const)
    .catch(() => 'unreachable' as const);
  const ok = database === 'ok';
  return json(ok ? 200 : 503, { status: ok ? 'ok' : 'degraded', database, version });
}

export async function openApiRoute(): Promise<Response> {
  return json(200, openApiDocument());
}
