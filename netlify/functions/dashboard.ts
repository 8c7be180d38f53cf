import type { Config, Context } from '@netlify/functions';
import { serveApi } from '../../src/http/runtime.ts';

export default (request: Request, context: Context) => serveApi(request, context);

// On Netlify `/` is the published copy of this page (public/index.html, built
// by scripts/netlify-build.ts): preferStatic serves it from the CDN.
export const config: Config = { path: ['/', '/dashboard'], preferStatic: true };
