import type { Config, Context } from '@netlify/functions';
import { serveApi } from '../../src/http/runtime.ts';

export default (request: Request, context: Context) => serveApi(request, context);

export const config: Config = { path: '/api/openapi.json' };
