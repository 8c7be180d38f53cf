import type { Config } from '@netlify/functions';
import { serveApi } from '../../src/http/runtime.ts';

export default (request: Request) => serveApi(request);

export const config: Config = { path: ['/', '/dashboard'] };
